import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import { checkRegister } from '../libs/domain/shares';
import type { OnboardingInput } from '../libs/domain/schemas';
import { decideUpdate, eventUpdate, progressQuery } from '../workflows/kit/messages';
import { connectTemporal, createTestDatabase, eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { ADMIN, MANAGER, associationApplication } from './support/onboarding-fixtures';
import { buildWorkerProgram, exited, startWorkerProcess } from './support/worker-process';

let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  // The worker runs from the compiled output; an incremental build is quick when nothing changed.
  // The worker runs from the compiled output.
  buildWorkerProgram();
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  temporal = await connectTemporal();
});

afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

async function drive(input: OnboardingInput, workflowId: string): Promise<void> {
  const handle = await temporal.client.workflow.start('onboardShareholder', { taskQueue: temporal.taskQueue, workflowId, args: [input] });
  const at = (stage: string) => eventually(async () => {
    const v = await handle.query(progressQuery);
    return v.stage === stage && v.stages.find((s) => s.key === stage)?.status === 'running' ? v : undefined;
  }, 60_000, `${workflowId} at ${stage}`);
  await at('board');
  await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: MANAGER }] });
  await at('subscription');
  await handle.executeUpdate(eventUpdate, { args: [{ type: 'subscription.signed', payload: {}, idempotencyKey: `${workflowId}:sig`, actor: ADMIN }] });
  await at('payment');
  await handle.executeUpdate(eventUpdate, {
    args: [{ type: 'payment.received', payload: { amountCents: input.shares * input.pricePerShareCents, currency: 'EUR' }, idempotencyKey: `${workflowId}:pay`, actor: ADMIN }],
  });
}

test('killing the worker process mid-run and starting it again completes every run with no duplicate rows', async () => {
  const inputs = Array.from({ length: 4 }, (_, i) => associationApplication({ shares: 5 + i }));
  const ids = inputs.map((_, i) => `crash-${Date.now()}-${i}`);

  let worker = startWorkerProcess(db, temporal);
  // Drive two runs to their end, so we know how many audit events an uninterrupted run writes.
  await Promise.all([0, 1].map((i) => drive(inputs[i] as OnboardingInput, ids[i] as string)));
  for (const id of ids.slice(0, 2)) await temporal.client.workflow.getHandle(id).result();

  // Start two more and kill the worker while they are between stages.
  const late = Promise.all([2, 3].map((i) => drive(inputs[i] as OnboardingInput, ids[i] as string)));
  await eventually(async () => {
    const r = await db.pool.query(`SELECT count(*)::int AS n FROM process_runs WHERE workflow_id = ANY($1) AND stage <> 'checked'`, [ids.slice(2)]);
    return r.rows[0].n >= 1 ? true : undefined;
  }, 60_000, 'the late runs to get going');
  worker.kill('SIGKILL');
  await exited(worker);
  expect(worker.signalCode).toBe('SIGKILL');

  worker = startWorkerProcess(db, temporal);
  await late;
  const results = await Promise.all(ids.map((id) => temporal.client.workflow.getHandle(id).result()));
  worker.kill('SIGTERM');
  await exited(worker);

  expect(results.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);
  const perRun = await db.pool.query(
    `SELECT workflow_id, count(*)::int AS n FROM audit_events WHERE workflow_id = ANY($1) GROUP BY workflow_id ORDER BY workflow_id`, [ids]);
  // Every run writes the same number of tracking events, crash or no crash.
  expect(new Set(perRun.rows.map((r) => r.n)).size).toBe(1);
  const register = await db.pool.query(
    `SELECT source_workflow_id, count(*)::int AS n FROM share_register WHERE source_workflow_id = ANY($1) GROUP BY 1`, [ids]);
  expect(register.rows.map((r) => r.n)).toEqual([1, 1, 1, 1]);
  const registry = new RegistryRepository();
  const issued = (await registry.company(db.pool, SOCOM_BUSINESS_ID))?.sharesIssued ?? 0;
  const held = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, helsinkiDate(Date.now()));
  expect(checkRegister(issued, held.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });
  const notices = await db.pool.query(
    `SELECT count(*)::int AS n, count(DISTINCT (workflow_id, recipient_id))::int AS distinct_n FROM notifications WHERE workflow_id = ANY($1)`, [ids]);
  expect(notices.rows[0].n).toBe(notices.rows[0].distinct_n);
  expect(await new AuditRepository().verify(db.pool)).toMatchObject({ ok: true });
});
