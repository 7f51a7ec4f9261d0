import { temporal as proto } from '@temporalio/proto';
import { randomUUID } from 'node:crypto';
import type { PoolClient } from 'pg';
import {
  SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID, effectiveDateAfter, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../infra/seed/demo-consolidation';
import { seedDemoData } from '../infra/seed/seed';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { ConsolidationItemsRepository } from '../libs/db/repositories/consolidation-items.repository';
import { ConsolidationRepository } from '../libs/db/repositories/consolidation.repository';
import { consolidationInputSchema, consolidationOrganisations } from '../libs/domain/consolidation';
import type { Actor } from '../libs/domain/progress';
import type { ConsolidationResult } from '../workflows/consolidation/consolidate-centres.workflow';
import { cancelUpdate, progressQuery } from '../workflows/kit/messages';
import { studyAndDecide } from './support/consolidation-run';
import { connectTemporal, createTestDatabase, eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { buildWorkerProgram, exited, startWorkerProcess } from './support/worker-process';

// A consolidation of 5,000 uploaded staff references over two parties, on the real stack: the worker
// program is killed while a batch is half-way through its transaction, a new worker finishes the
// transfers (nothing moved twice), and a cancel restores the registry exactly as the snapshot. The
// histories stay far below Temporal's limits because they carry cursors and counts, never the items.
const CLERK: Actor = { name: 'scale-test', role: 'admin' };
const refs = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(5, '0')}`);
const STAITO = refs('STAITO-B', 3_000);
const VERSO = refs('VERSO-B', 2_000);
/** A staff member in Sosiaalitaito's third batch: its row is locked so that batch stops half-way. */
const BLOCKED = STAITO[2_500] as string;
const MAX_EVENTS = 2_000;
const MAX_EVENT_BYTES = 256 * 1024;
let db: TestDatabase;
let temporal: TestTemporal;

beforeAll(async () => {
  buildWorkerProgram();
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  await seedConsolidationDemo(db.pool);
  // The parties hold their staff (pseudonymous references) from long before.
  for (const [party, list] of [[SOSIAALITAITO_BUSINESS_ID, STAITO], [VERSO_BUSINESS_ID, VERSO]] as const) {
    await db.pool.query(
      `INSERT INTO centre_holdings (kind, ref, organisation_id, valid_from) SELECT 'staff', ref, $1, '2020-01-01' FROM unnest($2::text[]) AS ref`,
      [party, list],
    );
  }
  temporal = await connectTemporal();
});

afterAll(async () => {
  await temporal?.close();
  await db?.drop();
});

test('5,000 uploaded staff move in batches through a worker crash mid-batch, and a cancel restores the snapshot exactly', async () => {
  const items = new ConsolidationItemsRepository();
  const list = async (staff: string[]) => (await items.createList(db.pool, {
    id: randomUUID(), organisationId: null, uploadedBy: 'scale-test', rows: staff.map((ref, n) => ({ line: n + 1, kind: 'staff', ref, counterpartyId: null })),
  })).id;
  const base = uusimaaConsolidationInput(effectiveDateAfter(new Date(), 120));
  const lists = new Map([[SOSIAALITAITO_BUSINESS_ID, await list(STAITO)], [VERSO_BUSINESS_ID, await list(VERSO)]]);
  const input = consolidationInputSchema.parse({
    ...base,
    slug: `scale-${Date.now()}`,
    // No projects: the transfers run without waiting for funders.
    parties: base.parties.map((p) => ({ ...p, projects: [], ...(lists.has(p.businessId) ? { itemList: lists.get(p.businessId) } : {}) })),
  });
  const total = input.parties.reduce((n, p) => n + p.staff.length + p.agreements.length, 0) + STAITO.length + VERSO.length;
  expect(total).toBe(5_000 + 7 + 3);
  const repo = new ConsolidationRepository();
  const before = await repo.snapshotRows(db.pool, consolidationOrganisations(input));

  // Hold one staff row locked: the batch that reaches it waits inside its transaction, heartbeating.
  const blocker: PoolClient = await db.pool.connect();
  await blocker.query('BEGIN');
  await blocker.query(`SELECT 1 FROM centre_holdings WHERE kind = 'staff' AND ref = $1 FOR UPDATE`, [BLOCKED]);

  let worker = startWorkerProcess(db, temporal);
  const handle = await temporal.client.workflow.start('consolidateCentres', { taskQueue: temporal.taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
  try {
    const at = (stage: string, ms = 60_000) => eventually(async () => ((await handle.query(progressQuery)).stage === stage ? true : undefined), ms, stage);
    await studyAndDecide(handle, CLERK);

    // The third batch of Sosiaalitaito waits on the locked row, its transaction open: kill the worker there.
    await eventually(async () => {
      const r = await db.pool.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%FOR UPDATE%'`);
      return r.rows.length > 0 ? true : undefined;
    }, 60_000, 'a batch waiting on the locked row');
    const movedAtKill = await repo.transfers(db.pool, handle.workflowId);
    worker.kill('SIGKILL');
    await exited(worker);
    expect(worker.signalCode).toBe('SIGKILL');
    const staitoMoved = movedAtKill.filter((t) => t.partyId === SOSIAALITAITO_BUSINESS_ID && t.kind === 'staff').length;
    // Two whole batches of Sosiaalitaito's staff (its 4 inline, then its list): the third wrote nothing.
    expect(staitoMoved).toBe(2_000);
    await blocker.query('ROLLBACK');

    worker = startWorkerProcess(db, temporal);
    // The batch the killed worker held is retried once its heartbeat timeout (10 s) passes.
    await at('effective', 90_000);
    const transfers = await repo.transfers(db.pool, handle.workflowId);
    expect(transfers).toHaveLength(total);
    expect(new Set(transfers.map((t) => t.step)).size).toBe(total);
    const moved = await db.pool.query<{ n: number; refs: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT kind || ref)::int AS refs FROM centre_holdings WHERE source_workflow_id = $1`, [handle.workflowId]);
    expect(moved.rows[0]).toEqual({ n: total, refs: total });
    expect(await repo.holderOn(db.pool, 'staff', BLOCKED, input.effectiveDate)).toMatchObject({ organisationId: SOCCA_BUSINESS_ID });
    expect(await items.page(db.pool, { workflowId: handle.workflowId, status: 'not-reached', after: 0, limit: 10 })).toEqual([]);

    // Counts, never item lists, in what the workflows carry; far below Temporal's limits.
    const progress = await handle.query(progressQuery);
    expect(JSON.stringify(progress).length).toBeLessThan(64 * 1024);
    const histories = [await handle.fetchHistory()];
    for (const party of [SOSIAALITAITO_BUSINESS_ID, VERSO_BUSINESS_ID]) {
      histories.push(await temporal.client.workflow.getHandle(`consolidation:${input.slug}/transfer/${party}`).fetchHistory());
    }
    for (const h of histories) {
      const events = h.events ?? [];
      expect(events.length).toBeLessThan(MAX_EVENTS);
      const largest = Math.max(...events.map((e) => proto.api.history.v1.HistoryEvent.encode(e).finish().length));
      expect(largest).toBeLessThan(MAX_EVENT_BYTES);
    }

    // The saga undoes everything in batches, exactly, before the effective date.
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: CLERK }] });
    const result = (await handle.result()) as ConsolidationResult;
    expect([result.status, result.undone]).toEqual(['cancelled', total]);
    expect(JSON.stringify(result).length).toBeLessThan(8 * 1024);
    expect(await repo.snapshotRows(db.pool, consolidationOrganisations(input))).toEqual(before);
    expect(await repo.snapshot(db.pool, handle.workflowId)).toEqual(before);
    const undo = await db.pool.query<{ action: string }>(
      `SELECT action FROM audit_events WHERE workflow_id = $1 AND action LIKE 'step.undo.%' ORDER BY seq`, [handle.workflowId]);
    expect(undo.rows.map((r) => r.action)).toEqual([...Array.from({ length: Math.ceil(total / 1_000) }, (_, n) => `step.undo.batch-${n + 1}.done`), 'step.undo.established.done']);
    const final = await handle.fetchHistory();
    expect(final.events?.length).toBeLessThan(MAX_EVENTS);
  } finally {
    await blocker.query('ROLLBACK').catch(() => undefined);
    blocker.release();
    worker.kill('SIGTERM');
    await exited(worker);
  }
  expect(await new AuditRepository().verify(db.pool)).toMatchObject({ ok: true });
}, 180_000);
