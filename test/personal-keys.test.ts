import { PersonalKeysRepository } from '../libs/db/repositories/personal-keys.repository';
import { ERASED_VALUE } from '../libs/domain/personal-data';
import { seal } from '../libs/crypto/sealing';
import { openSealed } from '../libs/temporal/personal-data-sealing';
import { createTestDatabase, type TestDatabase } from './support/harness';

/** The keys that seal personal values in Temporal's histories, on a real PostgreSQL. */
let db: TestDatabase;
const keys = new PersonalKeysRepository();

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('one readable key per workflow and author; shredding one author leaves the others readable', async () => {
  const maija = await keys.keyFor(db.pool, 'wf-1', 'manager:maija');
  expect(await keys.keyFor(db.pool, 'wf-1', 'manager:maija')).toEqual(maija);
  const matti = await keys.keyFor(db.pool, 'wf-1', 'manager:matti');
  const untitled = await keys.keyFor(db.pool, 'wf-1', null);
  expect(new Set([maija.keyId, matti.keyId, untitled.keyId]).size).toBe(3);

  const values = { a: { comment: seal('Maija wrote this', maija.keyId, maija.secret) }, b: { note: seal('Matti wrote this', matti.keyId, matti.secret) } };
  expect(await openSealed(db.pool, values)).toEqual({ a: { comment: 'Maija wrote this' }, b: { note: 'Matti wrote this' } });

  expect(await keys.shred(db.pool, { workflowId: 'wf-1', author: 'manager:maija', by: 'admin:a', reason: 'request 1' })).toEqual([maija.keyId]);
  expect(await openSealed(db.pool, values)).toEqual({ a: { comment: ERASED_VALUE }, b: { note: 'Matti wrote this' } });
  // Shredded once: a second request shreds nothing more.
  expect(await keys.shred(db.pool, { workflowId: 'wf-1', author: 'manager:maija', by: 'admin:a', reason: 'request 1' })).toEqual([]);

  // What Maija writes after the erasure is sealed under a new key.
  const later = await keys.keyFor(db.pool, 'wf-1', 'manager:maija');
  expect(later.keyId).not.toBe(maija.keyId);
  expect(await openSealed(db.pool, { comment: seal('later', later.keyId, later.secret) })).toEqual({ comment: 'later' });

  // Without an author, every readable key of the workflow goes.
  expect((await keys.shred(db.pool, { workflowId: 'wf-1', by: 'admin:a', reason: 'request 2' })).sort()).toEqual([matti.keyId, untitled.keyId, later.keyId].sort());
});

test('a shredded key cannot be restored, and the application role may not delete keys', async () => {
  const k = await keys.keyFor(db.pool, 'wf-2', null);
  await keys.shred(db.pool, { workflowId: 'wf-2', by: 'admin:a', reason: 'request 3' });
  await expect(db.pool.query('UPDATE personal_data_keys SET secret = $1, shredded_at = NULL WHERE key_id = $2', [k.secret, k.keyId]))
    .rejects.toThrow(/was shredded/);
  const grants = await db.pool.query<{ privilege_type: string }>(
    `SELECT privilege_type FROM information_schema.role_table_grants WHERE grantee = 'fuusio_app' AND table_name = 'personal_data_keys' ORDER BY 1`,
  );
  expect(grants.rows.map((r) => r.privilege_type)).toEqual(['INSERT', 'SELECT', 'UPDATE']);
});
