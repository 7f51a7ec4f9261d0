import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import { temporal } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../libs/temporal/search-attributes';
import { createActivities } from '../activities';
import { findTestServer } from '../infra/temporal/provision';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { onboardingInputSchema } from '../libs/domain/schemas';
import { decideUpdate, progressQuery } from '../workflows/kit/messages';
import { createTestDatabase, eventually, type TestDatabase } from './support/harness';
import { MANAGER, freshBusinessId } from './support/onboarding-fixtures';
import { testEnv } from './support/test-env';

// The real 30-day deadlines and 7-day/1-day reminders, run in seconds on Temporal's time-skipping test server.
let env: TestWorkflowEnvironment;
let db: TestDatabase;

beforeAll(async () => {
  const path = await findTestServer();
  env = await TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } });
  await env.connection.operatorService.addSearchAttributes({
    namespace: env.namespace ?? 'default',
    searchAttributes: Object.fromEntries(Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS).map(([name, type]) => [
      name, type === 'KeywordList' ? temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
    ])),
  });
  db = await createTestDatabase();
  await seedDemoData(db.pool);
});

afterAll(async () => {
  await env?.teardown();
  await db?.drop();
});

/** A worker on the time-skipping server, on a task queue of its own, with the real activities. */
async function timeSkippingWorker(): Promise<{ taskQueue: string; worker: Worker }> {
  const taskQueue = `ts-${randomUUID()}`;
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue,
    activities: createActivities({ pool: db.pool }),
    workflowBundle: { codePath: testEnv('bundle') },
  });
  return { taskQueue, worker };
}

test('with the default deadlines a subscription left unsigned for 30 days expires after reminders 7 days and 1 day before', async () => {
  const { taskQueue, worker } = await timeSkippingWorker();
  const input = onboardingInputSchema.parse({
    company: SOCOM_BUSINESS_ID,
    applicant: { name: 'Aikahyppy ry', businessId: freshBusinessId(), kind: 'association' },
    shares: 1,
    pricePerShareCents: 100_00,
  });
  expect(input.deadlines).toEqual({ subscription: '30 days', payment: '30 days', reminders: ['7 days', '1 day'] });
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('onboardShareholder', { taskQueue, workflowId: `ts-${randomUUID()}`, args: [input] });
    await eventually(async () => ((await handle.query(progressQuery)).stage === 'board' ? true : undefined));
    const startedAt = await env.currentTimeMs();
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: MANAGER }] });
    const r = await handle.result();
    return { r, skippedDays: (await env.currentTimeMs() - startedAt) / 86_400_000, workflowId: handle.workflowId };
  });
  expect(result.r).toEqual({ status: 'expired', reason: 'the signed subscription did not arrive before the deadline' });
  expect(result.skippedDays).toBeGreaterThanOrEqual(30);
  const reminders = await db.pool.query('SELECT step_key FROM notifications WHERE workflow_id = $1 ORDER BY step_key', [result.workflowId]);
  expect(reminders.rows.map((x) => x.step_key)).toEqual(['subscription.reminder.1 day', 'subscription.reminder.7 days']);
});

test('a board deadline with reminders reaches, at each reminder, only the named members who have not decided', async () => {
  await seedDemoPeople(db.pool);
  const { taskQueue, worker } = await timeSkippingWorker();
  const input = onboardingInputSchema.parse({
    company: SOCOM_BUSINESS_ID,
    applicant: { name: 'Muistutettava ry', businessId: freshBusinessId(), kind: 'association' },
    shares: 1,
    pricePerShareCents: 100_00,
    board: { quorum: 2, members: ['socom-board-1', 'socom-board-2', 'socom-board-3'] },
    deadlines: { boardDecision: '30 days', reminders: ['7 days', '1 day'] },
  });
  const workflowId = `ts-${randomUUID()}`;
  const result = await worker.runUntil(async () => {
    const handle = await env.client.workflow.start('onboardShareholder', { taskQueue, workflowId, args: [input] });
    await eventually(async () => ((await handle.query(progressQuery)).stage === 'board' ? true : undefined));
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: MANAGER, decidedBy: 'socom-board-1' }] });
    return handle.result();
  });
  expect(result).toEqual({ status: 'expired', reason: 'the board decision did not arrive before the deadline' });
  const rows = await db.pool.query(
    `SELECT step_key, recipient FROM outbox WHERE workflow_id = $1 AND step_key LIKE 'board.reminder.%' ORDER BY step_key, recipient`, [workflowId]);
  expect(rows.rows.map((r) => `${r.step_key} ${r.recipient}`)).toEqual([
    'board.reminder.1 day socom-board-2', 'board.reminder.1 day socom-board-3',
    'board.reminder.7 days socom-board-2', 'board.reminder.7 days socom-board-3',
  ]);
});
