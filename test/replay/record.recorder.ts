import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { seedDemoData } from '../../infra/seed/seed';
import { SCENARIOS, recordHistories, type ScenarioName } from '../../infra/temporal/record-histories';
import type { ShareholdingMergerResult } from '../../workflows/shareholding-merger/merge-shareholdings.workflow';
import { freshBusinessId } from '../support/onboarding-fixtures';
import { createTestDatabase } from '../support/harness';
import { testEnv } from '../support/test-env';

/**
 * Re-records the replay fixtures in test/replay/fixtures from real runs (dev server, real worker and
 * activities on a fresh test database; the merger on the time-skipping test server). Only on request:
 *   npm run record:histories -- test/replay/record.recorder.ts
 * Record again when a scenario is added, and only ever from code that replays the old fixtures.
 * FUUSIO_RECORD_ONLY=name,name re-records just those scenarios (see SCENARIOS); the others keep their files.
 */
const RECORD = process.env.FUUSIO_RECORD_HISTORIES === '1';
const ONLY = process.env.FUUSIO_RECORD_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
const FIXTURES = join(__dirname, 'fixtures');
const EventType = temporal.api.enums.v1.EventType;

const recordOrSkip = RECORD ? test : test.skip;

recordOrSkip(
  RECORD
    ? 'records the replay fixtures from real workflow runs'
    : 'recording the replay fixtures is off; re-record with: npm run record:histories -- test/replay/record.recorder.ts',
  async () => {
    const db = await createTestDatabase();
    try {
      await seedDemoData(db.pool);
      const recorded = await recordHistories({
        address: testEnv('temporalAddress'),
        namespace: testEnv('namespace'),
        pool: db.pool,
        outDir: FIXTURES,
        workflowBundle: { codePath: testEnv('bundle') },
        freshBusinessId,
        ...(ONLY ? { only: ONLY as ScenarioName[] } : {}),
        log: (m) => process.stderr.write(`[record] ${m}\n`),
      });

      const wanted = SCENARIOS.filter((n) => !ONLY || ONLY.includes(n));
      expect(wanted.length).toBeGreaterThan(0);
      expect(recorded.map((r) => r.name)).toEqual(wanted);
      const meant: Record<ScenarioName, string> = {
        'onboarding-completed': 'completed',
        'onboarding-rejected': 'rejected',
        'onboarding-expired': 'expired',
        'onboarding-cancelled': 'cancelled',
        'shareholding-merger-completed': 'completed',
        'onboarding-board-quorum-four-eyes': 'completed',
        'onboarding-board-reminder-helsinki': 'completed',
      };
      for (const r of recorded) expect([r.name, r.result.status]).toEqual([r.name, meant[r.name]]);

      // Every fixture (just written or kept) reads back as the history of a finished run, with the events its scenario is about.
      const types = (name: string) => {
        const history = historyFromJSON(JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), 'utf8')));
        return (history.events ?? []).map((e) => e.eventType);
      };
      for (const r of recorded) expect(types(r.name)).toHaveLength(r.events);
      for (const name of SCENARIOS) {
        const t = types(name);
        expect(t[0]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED);
        expect(t[t.length - 1]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      }
      const count = (name: string, type: number) => types(name).filter((x) => x === type).length;
      const updates = EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED;
      expect(count('onboarding-completed', updates)).toBe(4); // approve, signed, two payments
      expect(count('onboarding-rejected', updates)).toBe(1);
      expect(count('onboarding-cancelled', updates)).toBe(2); // approve, cancel
      expect(count('onboarding-board-quorum-four-eyes', updates)).toBe(7); // four votes, signed, recorded, confirmed
      expect(count('onboarding-board-reminder-helsinki', updates)).toBe(3); // approve, signed, paid
      // The board's reminder fired on its timer before the decision; both patches are marked in the history.
      expect(count('onboarding-board-reminder-helsinki', EventType.EVENT_TYPE_TIMER_FIRED)).toBeGreaterThanOrEqual(1);
      expect(count('onboarding-board-reminder-helsinki', EventType.EVENT_TYPE_MARKER_RECORDED)).toBeGreaterThanOrEqual(2);
      // The expiry is timers firing: the reminder, then the deadline.
      expect(count('onboarding-expired', EventType.EVENT_TYPE_TIMER_FIRED)).toBe(2);
      // The merger waited for its effective date on a durable timer that fired.
      expect(count('shareholding-merger-completed', EventType.EVENT_TYPE_TIMER_FIRED)).toBe(1);
      const merger = recorded.find((r) => r.name === 'shareholding-merger-completed');
      if (merger) expect((merger.result as ShareholdingMergerResult).movedShares).toBeGreaterThan(0);
    } finally {
      await db.drop();
    }
  },
  300_000,
);
