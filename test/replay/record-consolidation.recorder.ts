import { historyFromJSON, historyToJSON } from '@temporalio/common/lib/proto-utils';
import { temporal } from '@temporalio/proto';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createActivities } from '../../activities';
import {
  HAME_ELY_BUSINESS_ID, HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, STM_BUSINESS_ID, VERSO_BUSINESS_ID,
  effectiveDateAfter, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import { seedDemoData } from '../../infra/seed/seed';
import { findTestServer } from '../../infra/temporal/provision';
import type { Actor } from '../../libs/domain/progress';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { createTestDatabase, eventually } from '../support/harness';
import { testEnv } from '../support/test-env';

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
    const env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path: await findTestServer() } } });
    const db = await createTestDatabase();
    try {
      const namespace = env.namespace ?? 'default';
      await env.connection.operatorService.addSearchAttributes({
        namespace,
        searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
          name, type === 'KeywordList' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        ])),
      });
      await seedDemoData(db.pool);
      await seedConsolidationDemo(db.pool);
      const taskQueue = `record-consolidation-${randomUUID()}`;
      const worker = await Worker.create({
        connection: env.nativeConnection, namespace, taskQueue, activities: createActivities({ pool: db.pool }), workflowBundle: { codePath: testEnv('bundle') },
      });
      const effectiveDate = effectiveDateAfter(new Date(await env.currentTimeMs()), 120);
      const input = uusimaaConsolidationInput(effectiveDate);
      const { handle, result } = await worker.runUntil(async () => {
        const h = await env.client.workflow.start('consolidateCentres', { taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
        const at = (stage: string) => eventually(async () => ((await h.query(progressQuery)).stage === stage ? true : undefined), 60_000, stage);
        const event = (type: string, payload: Record<string, unknown>, key: string) =>
          h.executeUpdate(eventUpdate, { args: [{ type, payload, idempotencyKey: key, actor: CLERK }] });
        const decide = (d: { gate: string; party: string; body?: string; decision: 'approve' | 'reject' }) => h.executeUpdate(decideUpdate, { args: [{ ...d, actor: CLERK }] });
        await at('feasibility');
        await event('study.completed', { findings: 'An administrative merger serves the new wellbeing services counties.' }, 'study');
        await at('decisions');
        for (const [party, body] of [
          [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [SOCCA_BUSINESS_ID, 'socca-steering-group'],
          [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'], [HUS_BUSINESS_ID, 'hus-board'],
        ] as const) {
          await decide({ gate: 'decisions', party, body, decision: 'approve' });
        }
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
      const parent = await handle.fetchHistory();
      writeFileSync(FILE, `${historyToJSON(parent)}\n`);
      // Each party's transfer child has its own history: recorded too, so the child's code is guarded as well.
      const children = (parent.events ?? [])
        .map((e) => e.startChildWorkflowExecutionInitiatedEventAttributes?.workflowId)
        .filter((id): id is string => typeof id === 'string');
      expect(children).toHaveLength(2);
      for (const [n, childId] of children.entries()) {
        const child = await env.client.workflow.getHandle(childId).fetchHistory();
        writeFileSync(join(__dirname, 'fixtures', `consolidation-transfer-${n + 1}.json`), `${historyToJSON(child)}\n`);
        const last = child.events?.[child.events.length - 1]?.eventType;
        expect(last).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      }

      const types = (historyFromJSON(JSON.parse(readFileSync(FILE, 'utf8'))).events ?? []).map((e) => e.eventType);
      const count = (type: number) => types.filter((x) => x === type).length;
      expect(types[types.length - 1]).toBe(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
      expect(count(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_COMPLETED)).toBe(1 + 6 + 3 + input.integration.length);
      expect(count(EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_COMPLETED)).toBe(2);
      expect(count(EventType.EVENT_TYPE_TIMER_FIRED)).toBeGreaterThanOrEqual(1);
    } finally {
      await env.teardown();
      await db.drop();
    }
  },
  300_000,
);
