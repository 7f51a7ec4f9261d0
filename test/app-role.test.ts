import type { Pool } from 'pg';
import { PG_POOL } from '../libs/db/db.module';
import { createPool } from '../libs/db/pool';
import { seedDemoData } from '../infra/seed/seed';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { startApi, type TestApi } from './support/api-harness';
import { connectTemporal, createTestDatabase, eventually, startWorker, type RunningWorker, type TestDatabase, type TestTemporal } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';

/**
 * Production runs the API and the worker as the least-privileged role fuusio_app; the owner only migrates.
 * Here the owner (the test superuser) seeds, and everything else connects with `role=fuusio_app`, which
 * drops the superuser's rights for the whole session exactly as a LOGIN member of fuusio_app would have them.
 */
const APP_ROLE = 'fuusio_app';
const AUDIT_TABLES = ['audit_events', 'audit_personal'];
// Migration 0012: the Merkle log, its checkpoints and the verifications are added to and read only.
const APPEND_ONLY_LOG = ['audit_log_leaves', 'audit_checkpoints', 'audit_verifications'];
const MOVING_AUDIT_TABLES = ['audit_chain_heads', 'audit_log_positions'];

let db: TestDatabase;
let appUrl: string;
let appPool: Pool;
let temporal: TestTemporal;
let worker: RunningWorker;
let api: TestApi;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  const u = new URL(db.url);
  u.searchParams.set('options', `-c role=${APP_ROLE}`);
  appUrl = u.toString();
  appPool = createPool(appUrl, 5);
  temporal = await connectTemporal();
  worker = await startWorker(temporal, appPool);
  api = await startApi({ ...db, url: appUrl, pool: appPool }, temporal);
});

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await temporal?.close();
  await appPool?.end();
  await db?.drop();
});

async function refusal(sql: string): Promise<string> {
  return appPool.query(sql).then(() => 'allowed', (err: Error & { code?: string }) => `${err.code}: ${err.message}`);
}

describe('the least-privileged app role', () => {
  test('may read and write every table but the audit tables (add and read only) and the migration record; TRUNCATE nowhere; later tables too', async () => {
    const privileges = async () => (await db.pool.query<{ table: string; privileges: string }>(
      `SELECT c.relname AS table,
              concat_ws(',', CASE WHEN has_table_privilege($1, c.oid, 'SELECT') THEN 'SELECT' END,
                             CASE WHEN has_table_privilege($1, c.oid, 'INSERT') THEN 'INSERT' END,
                             CASE WHEN has_table_privilege($1, c.oid, 'UPDATE') THEN 'UPDATE' END,
                             CASE WHEN has_table_privilege($1, c.oid, 'DELETE') THEN 'DELETE' END,
                             CASE WHEN has_table_privilege($1, c.oid, 'TRUNCATE') THEN 'TRUNCATE' END) AS privileges
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY 1`,
      [APP_ROLE],
    )).rows;
    const expected = (table: string) => {
      if (AUDIT_TABLES.includes(table) || APPEND_ONLY_LOG.includes(table)) return 'SELECT,INSERT';
      // The chain heads and the log positions move, but are never removed.
      if (MOVING_AUDIT_TABLES.includes(table)) return 'SELECT,INSERT,UPDATE';
      if (table === 'schema_migrations') return 'SELECT';
      // Archived histories are evidence: added and (after their retention) deleted, never rewritten.
      if (table === 'history_archive') return 'SELECT,INSERT,DELETE';
      // A key that sealed personal text is created and shredded (a trigger refuses any other change), never removed.
      if (table === 'personal_data_keys') return 'SELECT,INSERT,UPDATE';
      return 'SELECT,INSERT,UPDATE,DELETE';
    };
    const now = await privileges();
    expect(now.length).toBeGreaterThan(20);
    expect(now).toEqual(now.map(({ table }) => ({ table, privileges: expected(table) })));

    // A table a later migration creates (as the owner) is granted by default, its sequence too.
    await db.pool.query('CREATE TABLE later_migration_table (id bigserial PRIMARY KEY, note text)');
    try {
      expect((await privileges()).find((p) => p.table === 'later_migration_table')).toEqual({ table: 'later_migration_table', privileges: 'SELECT,INSERT,UPDATE,DELETE' });
      await appPool.query(`INSERT INTO later_migration_table (note) VALUES ('written by the app role')`);
    } finally {
      await db.pool.query('DROP TABLE later_migration_table');
    }
  });

  test('UPDATE, DELETE and TRUNCATE of audit_events and audit_personal are refused by the privileges, before any trigger', async () => {
    expect((await appPool.query('SELECT current_user AS u')).rows[0].u).toBe(APP_ROLE);
    for (const table of AUDIT_TABLES) {
      for (const sql of [`UPDATE ${table} SET seq = seq`, `DELETE FROM ${table}`, `TRUNCATE ${table}`]) {
        expect({ sql, outcome: await refusal(sql) }).toEqual({ sql, outcome: `42501: permission denied for table ${table}` });
      }
    }
    // Of an archived history only the retention date may change, never its bytes or its digest.
    expect(await refusal(`UPDATE history_archive SET history = '\\x00'`)).toBe('42501: permission denied for table history_archive');
    expect(await refusal(`UPDATE history_archive SET retain_until = '2040-01-01'`)).toBe('allowed');
    // Not even an erasure-shaped UPDATE: erasing goes through erase_audit_personal() only.
    const erasureShaped = `UPDATE audit_personal SET fields = NULL, salt = NULL, erased_at = now(), erased_by = 'x', erasure_reason = 'y'`;
    expect(await refusal(erasureShaped)).toBe('42501: permission denied for table audit_personal');
    expect(await refusal(`UPDATE schema_migrations SET checksum = 'x'`)).toBe('42501: permission denied for table schema_migrations');
  });

  test('the API and the worker run an onboarding as the app role: projection, audit trail, routed events, erasure and token revocation all work', async () => {
    const apiPool = api.app.get<Pool>(PG_POOL);
    expect((await apiPool.query('SELECT current_user AS u')).rows[0].u).toBe(APP_ROLE);
    const [admin, manager, auditor] = await Promise.all([api.token('admin'), api.token('manager'), api.token('auditor')]);
    const launched = await api.request('POST', '/api/workflows/onboarding', {
      token: admin,
      body: associationLaunchBody(),
    });
    expect(launched.status).toBe(201);
    const id = launched.body.workflowId as string;
    const path = `/api/workflows/${encodeURIComponent(id)}`;
    const stageIs = (stage: string) => eventually(async () => {
      const r = await api.request('GET', path, { token: manager });
      return r.status === 200 && r.body.stage === stage ? r.body : undefined;
    }, 20_000, `${id} at ${stage}`);
    await stageIs('board');
    const decided = await api.request('POST', `${path}/decisions`, {
      token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', comment: 'Maija Meikäläinen esitteli', reference: 'Hallitus 2/2026' },
    });
    expect(decided.status).toBe(200);
    await stageIs('subscription');
    const signed = await api.request('POST', '/api/events', {
      token: admin, body: { type: 'subscription.signed', businessKey: id, payload: {}, idempotencyKey: `${id}:signed` },
    });
    expect(signed).toEqual({ status: 202, body: { status: 'delivered', workflowId: id, idempotencyKey: `${id}:signed` } });
    await stageIs('payment');

    const erased = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId: id, reason: 'erasure request 2026/3' } });
    expect(erased.status).toBe(201);
    expect(erased.body.erased).toBeGreaterThanOrEqual(1);
    const kept = await db.pool.query('SELECT count(*)::int AS n FROM audit_personal WHERE fields IS NOT NULL AND seq = ANY($1::bigint[])', [erased.body.seqs]);
    expect(kept.rows[0].n).toBe(0);

    const listed = await api.request('GET', '/api/tokens', { token: admin });
    const auditorId = listed.body.items.find((t: { role: string }) => t.role === 'auditor').id;
    expect((await api.request('GET', '/api/audit/verify', { token: auditor })).body).toMatchObject({ ok: true });
    expect((await api.request('POST', `/api/tokens/${auditorId}/revoke`, { token: admin, body: {} })).status).toBe(200);
    expect((await api.request('GET', '/api/audit/verify', { token: auditor })).status).toBe(401);
  });
});
