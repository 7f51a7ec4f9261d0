import { readFileSync } from 'node:fs';
import { migrate, readMigrations } from '../infra/db/migrate';
import { dumpSchema, schemaFile } from '../infra/db/schema-dump';
import { createTestDatabase, type TestDatabase } from './support/harness';
import { tamper } from './support/tamper';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

describe('migrations', () => {
  test('the migrated schema is exactly the committed infra/migrations/schema.sql (run `npm run migrate -- --dump-schema` after adding a migration)', () => {
    expect(dumpSchema(db.url)).toBe(readFileSync(schemaFile(), 'utf8'));
  });

  test('running the migrations again applies nothing', async () => {
    expect(await migrate(db.url)).toEqual([]);
    const applied = await db.pool.query('SELECT version, name FROM schema_migrations ORDER BY version');
    expect(applied.rows.map((r) => r.name)).toEqual(readMigrations().map((m) => m.name));
  });

  test('a migration changed after it was applied is refused', async () => {
    await db.pool.query(`UPDATE schema_migrations SET checksum = 'edited' WHERE version = 1`);
    await expect(migrate(db.url)).rejects.toThrow(/was changed after it was applied/);
  });

  test('audit events cannot skip the chain: a row whose hash does not match is found by verify', async () => {
    const { AuditRepository } = await import('../libs/db/repositories/audit.repository');
    const { withTransaction } = await import('../libs/db/pool');
    const audit = new AuditRepository();
    for (const n of [1, 2, 3]) {
      await withTransaction(db.pool, (tx) => audit.append(tx, { idempotencyKey: `k${n}`, workflowId: 'w', action: 'test', actor: 'system:test', payload: { n } }));
    }
    expect(await audit.verify(db.pool)).toEqual({ ok: true, checked: 3, chains: 1 });
    await tamper(db.pool, `UPDATE audit_events SET actor = 'admin:mallory' WHERE idempotency_key = 'k2'`);
    expect(await audit.verify(db.pool)).toMatchObject({ ok: false, checked: 1, firstBrokenSeq: 2, problem: { chainId: 'workflow:w', chainSeq: 2 } });
  });

  test('the audit trail refuses UPDATE, DELETE and TRUNCATE, even from the owner', async () => {
    await expect(db.pool.query(`UPDATE audit_events SET actor = 'x'`)).rejects.toThrow(/append-only: UPDATE/);
    await expect(db.pool.query('DELETE FROM audit_events')).rejects.toThrow(/append-only: DELETE/);
    // audit_personal refers to it, so a plain TRUNCATE stops at the foreign key; with CASCADE the trigger refuses.
    await expect(db.pool.query('TRUNCATE audit_events')).rejects.toThrow(/foreign key/);
    await expect(db.pool.query('TRUNCATE audit_events CASCADE')).rejects.toThrow(/append-only: TRUNCATE/);
    await expect(db.pool.query('TRUNCATE audit_personal')).rejects.toThrow(/never removed: TRUNCATE/);
    const grants = await db.pool.query(
      `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'fuusio_app' AND table_name = 'audit_events' ORDER BY 1`);
    expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT']);
  });
});
