import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HAME_ELY_BUSINESS_ID, STM_BUSINESS_ID, effectiveDateAfter, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import type { Actor } from '../../libs/domain/progress';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { eventually } from '../support/harness';
import { studyAndDecide } from '../support/consolidation-run';
import { startConsolidationRecording, writeConsolidationFixtures } from './recording-env';

/**
 * Records test/replay/fixtures/consolidation-completed.json (and consolidation-transfer-<n>.json, the
 * histories of its child workflows): a whole Uusimaa consolidation (updates
 * for the study, the decision chain, the funders' consents and the integration tasks; one child
 * workflow per transferring party; the durable timer to the effective date) on the time-skipping test
 * server, with the real worker and activities on a fresh test database. Only on request:
 *   npm run record:histories -- test/replay/record-consolidation.recorder.ts
 * test/replay/replay.test.ts then replays it with every other fixture.
 */
const RECORD = process.env.FUUSIO_RECORD_HISTORIES === '1';
const FILE = join(__dirname, 'fixtures', 'consolidation-completed.json');
const EventType = temporal.api.enums.v1.EventType;
const CLERK: Actor = { name: 'history-recorder', role: 'admin' };

const recordOrSkip = RECORD ? test : test.skip;

recordOrSkip(
  RECORD
    ? 'records the consolidation replay fixture from a real run'
    : 'recording the consolidation fixture is off; re-record with: npm run record:histories -- test/replay/record-consolidation.recorder.ts',
  async () => {
    const { env, worker, taskQueue, close } = await startConsolidationRecording();
    try {
      const effectiveDate = effectiveDateAfter(new Date(await env.currentTimeMs()), 120);
      const input = uusimaaConsolidationInput(effectiveDate);
      const { handle, result } = await worker.runUntil(async () => {
        const h = await env.client.workflow.start('consolidateCentres', { taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
        const at = (stage: string) => eventually(async () => ((await h.query(progressQuery)).stage === stage ? true : undefined), 60_000, stage);
        const event = (type: string, payload: Record<string, unknown>, key: string) =>
          h.executeUpdate(eventUpdate, { args: [{ type, payload, idempotencyKey: key, actor: CLERK }] });
        const decide = (d: { gate: string; party: string; body?: string; decision: 'approve' | 'reject' }) => h.executeUpdate(decideUpdate, { args: [{ ...d, actor: CLERK }] });
        await studyAndDecide(h, CLERK);
        await at('transfers');
        await eventually(async () => ((await h.query(progressQuery)).pendingApprovals.length === 3 ? true : undefined), 60_000, 'consent gates');
        await decide({ gate: 'consent/S21901', party: HAME_ELY_BUSINESS_ID, decision: 'approve' });
        await decide({ gate: 'consent/S21902', party: HAME_ELY_BUSINESS_ID, decision: 'approve' });
        await decide({ gate: 'consent/S21903', party: STM_BUSINESS_ID, decision: 'reject' });
        await at('effective');
        await env.sleep(Date.parse(`${effectiveDate}T01:00:00Z`) - (await env.currentTimeMs()));
        await at('integration');
        for (const t of input.integration) await event('task.completed', { task: t.key }, `task-${t.key}`);
        return { handle: h, result: (await h.result()) as ConsolidationResult };
      });
      expect(result.status).toBe('completed');
      await writeConsolidationFixtures(env, await handle.fetchHistory(), 'consolidation-completed', 'consolidation-transfer');
      const types = (historyFromJSON(JSON.parse(readFileSync(FILE, 'utf8'))).events ?? []).map((e) => e.eventType);
      const count = (type: number) => types.filter((x) => x === type).length;
      expect(types[types.length - 1]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(1 + 6 + 3 + input.integration.length);
      expect(count(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).toBe(2);
      expect(count(EventType.EVENT_TYPE_TIMER_FIRED)).toBeGreaterThanOrEqual(1);
    } finally {
      await close();
    }
  },
  300_000,
);
