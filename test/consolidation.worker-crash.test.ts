import {
  SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, effectiveDateAfter, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../infra/seed/demo-consolidation';
import { seedDemoData } from '../infra/seed/seed';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { ConsolidationRepository } from '../libs/db/repositories/consolidation.repository';
import { consolidationInputSchema, consolidationOrganisations } from '../libs/domain/consolidation';
import type { Actor } from '../libs/domain/progress';
import type { ConsolidationResult } from '../workflows/consolidation/consolidate-centres.workflow';
import { cancelUpdate, progressQuery } from '../workflows/kit/messages';
import { studyAndDecide } from './support/consolidation-run';
import { connectTemporal, createTestDatabase, eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { buildWorkerProgram, exited, startWorkerProcess } from './support/worker-process';

// The real worker program killed with SIGKILL while a party's child workflow is moving its staff:
// a new worker resumes the run and every item is moved exactly once.
const CLERK: Actor = { name: 'crash-test', role: 'admin' };
const STAFF = Array.from({ length: 80 }, (_, i) => `STAITO-X-${String(i + 1).padStart(3, '0')}`);
let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  // The worker runs from the compiled output.
  buildWorkerProgram();
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  await seedConsolidationDemo(db.pool);
  temporal = await connectTemporal();
});

afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

test('a worker killed in the middle of the transfers resumes them and moves every item exactly once', async () => {
  const base = uusimaaConsolidationInput(effectiveDateAfter(new Date(), 120));
  // Many staff for Sosiaalitaito, no projects: the transfers run without waiting for funders.
  const input = consolidationInputSchema.parse({
    ...base,
    slug: `crash-${Date.now()}`,
    parties: base.parties.map((p) => ({ ...p, projects: [], ...(p.businessId === SOSIAALITAITO_BUSINESS_ID ? { staff: STAFF } : {}) })),
  });
  const items = input.parties.reduce((n, p) => n + p.staff.length + p.agreements.length, 0);
  const repo = new ConsolidationRepository();
  const before = await repo.snapshotRows(db.pool, consolidationOrganisations(input));

  let worker = startWorkerProcess(db, temporal);
  const handle = await temporal.client.workflow.start('consolidateCentres', { taskQueue: temporal.taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
  await studyAndDecide(handle, CLERK);

  const movedAtKill = await eventually(async () => {
    const n = (await repo.transfers(db.pool, handle.workflowId)).length;
    return n >= 10 ? n : undefined;
  }, 60_000, 'the transfers to get going');
  worker.kill('SIGKILL');
  await exited(worker);
  expect(worker.signalCode).toBe('SIGKILL');
  const afterKill = (await repo.transfers(db.pool, handle.workflowId)).length;
  expect(movedAtKill).toBeLessThan(items);
  expect(afterKill).toBeLessThan(items);

  worker = startWorkerProcess(db, temporal);
  try {
    // The transfer the killed worker was running is retried only after its start-to-close timeout (60 s).
    await eventually(async () => ((await handle.query(progressQuery)).stage === 'effective' ? true : undefined), 180_000, 'effective');
    const transfers = await repo.transfers(db.pool, handle.workflowId);
    expect(transfers).toHaveLength(items);
    expect(new Set(transfers.map((t) => t.step)).size).toBe(items);
    const rows = await db.pool.query<{ ref: string; n: number }>(
      `SELECT ref, count(*)::int AS n FROM centre_holdings WHERE source_workflow_id = $1 GROUP BY ref`, [handle.workflowId]);
    expect(rows.rows).toHaveLength(items);
    expect(rows.rows.every((r) => r.n === 1)).toBe(true);
    expect(await repo.holderOn(db.pool, 'staff', STAFF[STAFF.length - 1] as string, input.effectiveDate)).toMatchObject({ organisationId: SOCCA_BUSINESS_ID });

    // And the saga still undoes everything exactly, before the effective date.
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: CLERK }] });
    const result = (await handle.result()) as ConsolidationResult;
    expect([result.status, result.undone]).toEqual(['cancelled', items]);
    expect(await repo.snapshotRows(db.pool, consolidationOrganisations(input))).toEqual(before);
  } finally {
    worker.kill('SIGTERM');
    await exited(worker);
  }
  expect(await new AuditRepository().verify(db.pool)).toMatchObject({ ok: true });
}, 300_000);
