import { createPublicKey } from 'node:crypto';
import { Client } from 'pg';
import { makeCheckpoint } from '../libs/audit/checkpointer';
import { proveConsistency, proveInclusion } from '../libs/audit/proofs';
import { loadSigningKey, verifyCheckpointSignature } from '../libs/audit/signing';
import { verifyAudit } from '../libs/audit/verifier';
import { createPool, withTransaction } from '../libs/db/pool';
import { appendApiEvent } from '../libs/db/repositories/api-audit';
import { AuditRepository, contentDigest, hashAuditEvent, linkHash, toAuditRow } from '../libs/db/repositories/audit.repository';
import { leafHash, verifyConsistency, verifyInclusion } from '../libs/domain/merkle';
import { migrate, readMigrations } from '../infra/db/migrate';
import { createTestDatabase, type TestDatabase } from './support/harness';
import { oneByte, rewriteTail, snapshotAudit, tamper } from './support/tamper';
import { testEnv } from './support/test-env';

const audit = new AuditRepository();
const key = loadSigningKey(null);
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const append = (workflowId: string | null, n: number | string, actor = 'system:test', payload: Record<string, unknown> = {}) =>
  withTransaction(db.pool, (tx) => audit.append(tx, { idempotencyKey: `${workflowId ?? actor}#${n}`, workflowId, action: 'test.step', actor, payload: { n, ...payload } }));
const verify = (mode: 'full' | 'incremental' = 'full') => verifyAudit(db.pool, key.publicKey, key.keyId, mode);
const checkpoint = () => makeCheckpoint(db.pool, key);
const hex = (h: string) => Buffer.from(h, 'hex');

/** The public formula of a chained row, as an insider with the code would recompute it. */
const rehash = (prevHash: string, raw: Record<string, unknown>) => {
  const row = toAuditRow({ ...raw, personal_fields: null, personal_erased_at: null });
  return linkHash(prevHash, row.chainSeq, row.seq, contentDigest(row));
};

describe('a hash chain per workflow', () => {
  test('each workflow and each actor without a workflow has its own chain, numbered from 1', async () => {
    for (const n of [1, 2, 3]) {
      await append('wf-a', n);
      await append('wf-b', n);
    }
    const api = await withTransaction(db.pool, (tx) => appendApiEvent(tx, { requestId: 'r-1', workflowId: null, action: 'api.token.created', actor: 'admin:root', payload: {} }));
    const a = await audit.forWorkflow(db.pool, 'wf-a');
    expect(a.map((e) => [e.chainId, e.chainSeq])).toEqual([['workflow:wf-a', 1], ['workflow:wf-a', 2], ['workflow:wf-a', 3]]);
    expect(a[0]!.prevHash).toBe('0'.repeat(64));
    expect(a[1]!.prevHash).toBe(a[0]!.hash);
    expect(api).toMatchObject({ chainId: 'actor:admin:root', chainSeq: 1 });
    // A retry of a key appends nothing, in whichever chain.
    expect(await append('wf-a', 1)).toBeNull();
    expect(await audit.verify(db.pool)).toEqual({ ok: true, checked: 7, chains: 3 });
  });

  test('an append waits only for its own chain: another workflow goes ahead while one chain is held', async () => {
    const holder = await db.pool.connect();
    try {
      await holder.query('BEGIN');
      await audit.append(holder, { idempotencyKey: 'wf-held#1', workflowId: 'wf-held', action: 'test.step', actor: 'system:test', payload: {} });
      // Another workflow's append commits while the held chain's transaction is open.
      await expect(append('wf-free', 1)).resolves.toMatchObject({ chainSeq: 1 });
      // The same chain waits: with a short lock timeout it gives up instead.
      await expect(withTransaction(db.pool, async (tx) => {
        await tx.query("SET LOCAL lock_timeout = '200ms'");
        return audit.append(tx, { idempotencyKey: 'wf-held#2', workflowId: 'wf-held', action: 'test.step', actor: 'system:test', payload: {} });
      })).rejects.toThrow(/lock timeout/);
      await holder.query('COMMIT');
    } finally {
      holder.release();
    }
    await expect(append('wf-held', 2)).resolves.toMatchObject({ chainSeq: 2 });
  });

  test('64 concurrent writers on 8 workflows keep every chain whole', async () => {
    await Promise.all(Array.from({ length: 64 }, (_, i) => append(`wf-c${i % 8}`, i)));
    for (let w = 0; w < 8; w += 1) expect((await audit.forWorkflow(db.pool, `wf-c${w}`)).map((e) => e.chainSeq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect((await audit.verify(db.pool)).ok).toBe(true);
  });
});

describe('signed checkpoints over a Merkle log of the chains', () => {
  test('a checkpoint logs every new link, is signed, and proves inclusion and consistency', async () => {
    const first = (await checkpoint())!;
    const events = Number((await db.pool.query('SELECT count(*) AS n FROM audit_events')).rows[0].n);
    expect(first.treeSize).toBe(events);
    expect(verifyCheckpointSignature(createPublicKey(key.publicKeyPem), first, first.signature)).toBe(true);
    expect(await checkpoint()).toBeNull();

    const later = (await append('wf-a', 4))!;
    const second = (await checkpoint())!;
    expect(second.treeSize).toBe(first.treeSize + 1);

    const proof = await proveInclusion(db.pool, later.seq, later.hash);
    if (typeof proof === 'string') throw new Error(proof);
    expect(proof).toMatchObject({ leafIndex: first.treeSize, chainId: 'workflow:wf-a', chainSeq: 4, checkpoint: { treeSize: second.treeSize } });
    expect(verifyInclusion(leafHash(hex(later.hash)), proof.leafIndex, second.treeSize, proof.proof.map(hex), hex(second.rootHash))).toBe(true);
    // An early event proves against the first checkpoint and the latest alike.
    const early = (await audit.forWorkflow(db.pool, 'wf-b'))[0]!;
    for (const size of [first.treeSize, second.treeSize]) {
      const p = await proveInclusion(db.pool, early.seq, early.hash, size);
      if (typeof p === 'string') throw new Error(p);
      expect(verifyInclusion(leafHash(hex(early.hash)), p.leafIndex, size, p.proof.map(hex), hex(p.checkpoint.rootHash))).toBe(true);
    }
    expect(await proveInclusion(db.pool, later.seq, later.hash, first.treeSize)).toBe('not-in-tree');

    const c = (await proveConsistency(db.pool, first.treeSize, second.treeSize))!;
    expect(verifyConsistency(first.treeSize, second.treeSize, hex(first.rootHash), hex(second.rootHash), c.proof.map(hex))).toBe(true);
  });

  test('verify goes on from the last verified checkpoint', async () => {
    const full = await verify('full');
    expect(full).toMatchObject({ ok: true, mode: 'full', fromTreeSize: 0, problems: [] });
    const size = full.verifiedTreeSize;
    await append('wf-d', 1);
    await append('wf-d', 2);
    const next = (await checkpoint())!;
    await append('wf-d', 3); // not logged yet: checked as a link
    const inc = await verify('incremental');
    expect(inc).toMatchObject({ ok: true, mode: 'incremental', fromTreeSize: size, verifiedTreeSize: next.treeSize, leaves: 2, checkpoints: 1, checked: 3 });
    expect(await verify('incremental')).toMatchObject({ ok: true, fromTreeSize: next.treeSize, leaves: 0, checked: 1 });
    await checkpoint();
  });
});

describe('tampering, as a superuser with the triggers off, is detected and named', () => {
  let restore: () => Promise<void>;
  beforeEach(async () => {
    await checkpoint();
    restore = await snapshotAudit(db.pool);
  });
  afterEach(async () => {
    await restore();
    expect((await verify('full')).ok).toBe(true);
  });

  const rowOf = async (workflowId: string, chainSeq: number) =>
    (await db.pool.query('SELECT * FROM audit_events WHERE workflow_id = $1 AND chain_seq = $2', [workflowId, chainSeq])).rows[0] as Record<string, unknown>;

  test.each(['idempotency_key', 'workflow_id', 'action', 'actor', 'prev_hash', 'hash', 'chain_id'])('one byte changed in %s', async (column) => {
    const row = await rowOf('wf-b', 2);
    // (The key's last byte moved up would be the next row's key, which the unique index refuses: change its first.)
    const changed = column === 'idempotency_key' ? `x${String(row[column]).slice(1)}` : oneByte(String(row[column]));
    await tamper(db.pool, `UPDATE audit_events SET ${column} = $2 WHERE seq = $1`, [row.seq, changed]);
    const r = await verify('full');
    expect(r.ok).toBe(false);
    expect(r.firstBrokenSeq).toBe(Number(row.seq));
    expect(r.problems[0]).toMatchObject({ seq: Number(row.seq), reason: expect.any(String) });
  });

  test('one byte changed in the payload, the time or the chain position', async () => {
    const row = await rowOf('wf-b', 2);
    for (const [column, value] of [
      ['payload', { n: 3 }], ['occurred_at', new Date((row.occurred_at as Date).getTime() + 1)], ['chain_seq', 12],
    ] as const) {
      await tamper(db.pool, `UPDATE audit_events SET ${column} = $2 WHERE seq = $1`, [row.seq, value]);
      const r = await verify('full');
      expect(r).toMatchObject({ ok: false, firstBrokenSeq: Number(row.seq) });
      await tamper(db.pool, `UPDATE audit_events SET ${column} = $2 WHERE seq = $1`, [row.seq, row[column]]);
    }
  });

  test('a deleted row is named by the leaf that logged it', async () => {
    const row = await rowOf('wf-b', 2);
    await tamper(db.pool, 'DELETE FROM audit_events WHERE seq = $1', [row.seq]);
    const r = await verify('full');
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: Number(row.seq) });
    expect(r.problems).toEqual(expect.arrayContaining([
      expect.objectContaining({ kind: 'chain', chainId: 'workflow:wf-b', chainSeq: 3, reason: 'chain position 2 is missing' }),
      expect.objectContaining({ kind: 'log', seq: Number(row.seq), reason: 'the logged event is missing' }),
    ]));
  });

  test('two rows swapped in their chain (reordered) are named', async () => {
    const [a, b] = [await rowOf('wf-c1', 3), await rowOf('wf-c1', 4)];
    await tamper(db.pool, 'UPDATE audit_events SET chain_seq = chain_seq + 1000 WHERE seq IN ($1, $2)', [a.seq, b.seq]);
    await tamper(db.pool, 'UPDATE audit_events SET chain_seq = 4 WHERE seq = $1', [a.seq]);
    await tamper(db.pool, 'UPDATE audit_events SET chain_seq = 3 WHERE seq = $1', [b.seq]);
    const r = await verify('full');
    expect(r.ok).toBe(false);
    expect(r.firstBrokenSeq).toBe(Math.min(Number(a.seq), Number(b.seq)));
    expect(r.problems).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'log', reason: 'the event has moved from the chain position it was logged at' })]));
  });

  test('a rewritten tail verifies as a chain but not against the log; with the log rewritten too, not against the signed root', async () => {
    const from = await rowOf('wf-a', 2);
    await rewriteTail(db.pool, 'workflow:wf-a', 2, (p) => ({ ...p, forged: true }), rehash);
    expect((await audit.verify(db.pool)).ok).toBe(true);
    const r = await verify('full');
    expect(r).toMatchObject({ ok: false, firstBrokenSeq: Number(from.seq) });
    expect(r.problems[0]).toMatchObject({ kind: 'log', chainId: 'workflow:wf-a', chainSeq: 2, reason: expect.stringContaining('rewritten') });

    // The insider rewrites the leaves as well: the roots no longer match what the key signed.
    const rows = (await db.pool.query("SELECT seq, hash FROM audit_events WHERE chain_id = 'workflow:wf-a' AND chain_seq >= 2")).rows;
    for (const row of rows) await tamper(db.pool, 'UPDATE audit_log_leaves SET leaf_hash = $2 WHERE seq = $1', [row.seq, leafHash(hex(row.hash)).toString('hex')]);
    const again = await verify('full');
    expect(again.ok).toBe(false);
    expect(again.problems.every((p) => p.kind === 'checkpoint')).toBe(true);
    expect(again.problems[0]).toMatchObject({ reason: 'the leaves do not give the signed root' });
  });

  test('incremental verify finds a change to a link not yet logged', async () => {
    expect((await verify('full')).ok).toBe(true);
    const fresh = (await append('wf-e', 1))!;
    await tamper(db.pool, `UPDATE audit_events SET actor = 'admin:mallory' WHERE seq = $1`, [fresh.seq]);
    expect(await verify('incremental')).toMatchObject({ ok: false, firstBrokenSeq: fresh.seq, problems: [{ kind: 'chain', reason: 'content does not match its hash' }] });
  });
});

describe('the rows written before per-workflow chains', () => {
  test('stay verifiable as the legacy chain; new rows go to their workflow chains and into the log', async () => {
    const admin = new Client({ connectionString: testEnv('adminUrl') });
    await admin.connect();
    const name = `fuusio_test_legacy_${process.pid}`;
    await admin.query(`DROP DATABASE IF EXISTS ${name}`);
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(testEnv('adminUrl'));
    url.pathname = `/${name}`;
    const pool = createPool(url.toString(), 3);
    try {
      // Migrations 0001–0011 as they were, with three rows chained the old way.
      await pool.query('CREATE TABLE schema_migrations (version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
      for (const m of readMigrations().filter((x) => x.version <= 11)) {
        await pool.query(m.sql);
        await pool.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
      }
      let prev = '0'.repeat(64);
      for (const seq of [1, 2, 3]) {
        const row = { seq, idempotencyKey: `old#${seq}`, workflowId: 'wf-old', action: 'test.old', actor: 'system:test', occurredAt: new Date(Date.UTC(2025, 0, seq)).toISOString(), payload: { seq } };
        const hash = hashAuditEvent(prev, row);
        await pool.query(
          'INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)',
          [seq, row.idempotencyKey, row.workflowId, row.action, row.actor, row.occurredAt, row.payload, prev, hash],
        );
        prev = hash;
      }
      expect(await migrate(url.toString())).toEqual(readMigrations().filter((m) => m.version > 11).map((m) => m.name));

      const fresh = (await withTransaction(pool, (tx) => audit.append(tx, { idempotencyKey: 'wf-old#new', workflowId: 'wf-old', action: 'test.new', actor: 'system:test', payload: {} })))!;
      expect(fresh).toMatchObject({ seq: 4, chainId: 'workflow:wf-old', chainSeq: 1 });
      expect((await audit.forWorkflow(pool, 'wf-old')).map((e) => `${e.chainId}/${e.chainSeq}`)).toEqual(['legacy/1', 'legacy/2', 'legacy/3', 'workflow:wf-old/1']);
      const cp = (await makeCheckpoint(pool, key))!;
      expect(cp.treeSize).toBe(4);
      expect(await verifyAudit(pool, key.publicKey, key.keyId, 'full')).toMatchObject({ ok: true, checked: 4, leaves: 4, checkpoints: 1 });
      await tamper(pool, `UPDATE audit_events SET actor = 'admin:mallory' WHERE seq = 2`);
      expect(await verifyAudit(pool, key.publicKey, key.keyId, 'full')).toMatchObject({ ok: false, firstBrokenSeq: 2 });
    } finally {
      await pool.end();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.end();
    }
  });
});
