import type { Queryable } from '../pool';

/** Only one checkpointer at a time, whichever process runs it; appends to the chains never take it. */
const CHECKPOINT_LOCK = 4_242_012;

export type PendingLink = { seq: number; chainId: string; chainSeq: number; hash: string };
export type StoredCheckpoint = {
  treeSize: number; rootHash: string; signedAt: string; keyId: string; signature: string; frontier: { size: number; hash: string }[];
};
export type StoredVerification = { treeSize: number; rootHash: string; frontier: { size: number; hash: string }[]; verifiedAt: string };
export type LeafRow = { leafIndex: number; seq: number; chainId: string; chainSeq: number; leafHash: string };

/** The Merkle log over the chains: its leaves, the signed checkpoints and the verifications that passed. */
export class AuditLogRepository {
  /** Call first in the checkpointer's transaction. */
  async lockCheckpointer(tx: Queryable): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [CHECKPOINT_LOCK]);
  }

  /**
   * The links each chain got since it was last logged, in seq order (within a chain that is chain
   * order). A head is read committed, so every link up to it is committed too.
   */
  async pendingLinks(tx: Queryable, limit: number): Promise<PendingLink[]> {
    const r = await tx.query<{ seq: string; chain_id: string; chain_seq: string; hash: string }>(
      `WITH pending AS (
         SELECT h.chain_id, COALESCE(p.chain_seq, 0) AS logged, h.chain_seq AS head
           FROM audit_chain_heads h LEFT JOIN audit_log_positions p ON p.chain_id = h.chain_id
          WHERE h.chain_seq > COALESCE(p.chain_seq, 0))
       SELECT e.seq, e.chain_id, e.chain_seq, e.hash
         FROM pending JOIN audit_events e ON e.chain_id = pending.chain_id AND e.chain_seq > pending.logged AND e.chain_seq <= pending.head
        ORDER BY e.seq LIMIT $1`,
      [limit],
    );
    return r.rows.map((x) => ({ seq: Number(x.seq), chainId: x.chain_id, chainSeq: Number(x.chain_seq), hash: x.hash }));
  }

  /** Appends leaves from `firstIndex` on and moves each chain's logged position to its last link logged. */
  async appendLeaves(tx: Queryable, firstIndex: number, links: PendingLink[], leafHashes: string[]): Promise<void> {
    if (links.length === 0) return;
    await tx.query(
      `INSERT INTO audit_log_leaves (leaf_index, seq, chain_id, chain_seq, leaf_hash)
       SELECT $1::bigint + n - 1, seq, chain_id, chain_seq, leaf_hash
         FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[]) WITH ORDINALITY AS t(seq, chain_id, chain_seq, leaf_hash, n)`,
      [firstIndex, links.map((l) => l.seq), links.map((l) => l.chainId), links.map((l) => l.chainSeq), leafHashes],
    );
    const last = new Map<string, number>();
    for (const l of links) last.set(l.chainId, Math.max(last.get(l.chainId) ?? 0, l.chainSeq));
    await tx.query(
      `INSERT INTO audit_log_positions (chain_id, chain_seq) SELECT * FROM unnest($1::text[], $2::bigint[])
       ON CONFLICT (chain_id) DO UPDATE SET chain_seq = EXCLUDED.chain_seq`,
      [[...last.keys()], [...last.values()]],
    );
  }

  async treeSize(db: Queryable): Promise<number> {
    const r = await db.query<{ n: string | null }>('SELECT max(leaf_index) + 1 AS n FROM audit_log_leaves');
    return Number(r.rows[0]?.n ?? 0);
  }

  /** Leaf hashes [from, to) in order, for proofs. */
  async leafHashes(db: Queryable, from: number, to: number): Promise<string[]> {
    const r = await db.query<{ leaf_hash: string }>(
      'SELECT leaf_hash FROM audit_log_leaves WHERE leaf_index >= $1 AND leaf_index < $2 ORDER BY leaf_index', [from, to],
    );
    return r.rows.map((x) => x.leaf_hash);
  }

  async leafOfEvent(db: Queryable, seq: number): Promise<LeafRow | null> {
    const r = await db.query('SELECT leaf_index, seq, chain_id, chain_seq, leaf_hash FROM audit_log_leaves WHERE seq = $1', [seq]);
    return r.rows[0] ? toLeaf(r.rows[0]) : null;
  }

  /** The leaves of the events named by seq (events not logged yet have none). */
  async leavesOfEvents(db: Queryable, seqs: readonly number[]): Promise<LeafRow[]> {
    const r = await db.query('SELECT leaf_index, seq, chain_id, chain_seq, leaf_hash FROM audit_log_leaves WHERE seq = ANY($1::bigint[])', [seqs]);
    return r.rows.map(toLeaf);
  }

  /**
   * Leaves from `from` on with the event row each names (null where the row is gone) and its predecessor's
   * hash. Without `content` only the event's place and hash are read (a full verify has recomputed the
   * rest on its walk of the chains): no payload to carry and parse, no predecessor to join. A page is
   * the index range [from, from + limit): with only a lower bound the planner expects most of the log
   * and starts parallel workers for every page, ten times the page's own work. A missing leaf leaves a
   * page short, so read on until a page is empty.
   */
  async leavesWithEvents(db: Queryable, from: number, limit: number, content = true): Promise<{ leaf: LeafRow; event: Record<string, unknown> | null; prevStoredHash: string | null }[]> {
    const r = await db.query(
      content
        ? `SELECT l.leaf_index, l.seq AS leaf_seq, l.chain_id AS leaf_chain_id, l.chain_seq AS leaf_chain_seq, l.leaf_hash,
              e.seq, e.chain_id, e.chain_seq, e.idempotency_key, e.workflow_id, e.action, e.actor, e.occurred_at, e.payload, e.prev_hash, e.hash,
              (extract(microseconds FROM e.occurred_at)::bigint % 1000) AS occurred_sub_ms,
              p.seq AS personal_seq, p.fields AS personal_fields, p.salt AS personal_salt, p.erased_at AS personal_erased_at,
              prev.hash AS prev_stored_hash
         FROM audit_log_leaves l
         LEFT JOIN audit_events e ON e.seq = l.seq
         LEFT JOIN audit_personal p ON p.seq = e.seq
         LEFT JOIN audit_events prev ON prev.chain_id = l.chain_id AND prev.chain_seq = l.chain_seq - 1
        WHERE l.leaf_index >= $1 AND l.leaf_index < $1 + $2 ORDER BY l.leaf_index`
        : `SELECT l.leaf_index, l.seq AS leaf_seq, l.chain_id AS leaf_chain_id, l.chain_seq AS leaf_chain_seq, l.leaf_hash,
              e.seq, e.chain_id, e.chain_seq, e.hash, NULL AS prev_stored_hash
         FROM audit_log_leaves l LEFT JOIN audit_events e ON e.seq = l.seq
        WHERE l.leaf_index >= $1 AND l.leaf_index < $1 + $2 ORDER BY l.leaf_index`,
      [from, limit],
    );
    return r.rows.map((x: Record<string, unknown>) => ({
      leaf: toLeaf({ leaf_index: x.leaf_index, seq: x.leaf_seq, chain_id: x.leaf_chain_id, chain_seq: x.leaf_chain_seq, leaf_hash: x.leaf_hash }),
      event: x.seq === null ? null : x,
      prevStoredHash: (x.prev_stored_hash as string | null) ?? null,
    }));
  }

  /** The rows not yet logged, chain by chain after each chain's logged position, with their predecessor's hash. */
  async unloggedEvents(db: Queryable, limit: number): Promise<{ event: Record<string, unknown>; prevStoredHash: string | null }[]> {
    const r = await db.query(
      `SELECT e.seq, e.chain_id, e.chain_seq, e.idempotency_key, e.workflow_id, e.action, e.actor, e.occurred_at, e.payload, e.prev_hash, e.hash,
              (extract(microseconds FROM e.occurred_at)::bigint % 1000) AS occurred_sub_ms,
              p.seq AS personal_seq, p.fields AS personal_fields, p.salt AS personal_salt, p.erased_at AS personal_erased_at,
              prev.hash AS prev_stored_hash
         FROM audit_chain_heads h
         LEFT JOIN audit_log_positions pos ON pos.chain_id = h.chain_id
         JOIN audit_events e ON e.chain_id = h.chain_id AND e.chain_seq > COALESCE(pos.chain_seq, 0)
         LEFT JOIN audit_personal p ON p.seq = e.seq
         LEFT JOIN audit_events prev ON prev.chain_id = e.chain_id AND prev.chain_seq = e.chain_seq - 1
        ORDER BY e.seq LIMIT $1`,
      [limit],
    );
    return r.rows.map((x: Record<string, unknown>) => ({ event: x, prevStoredHash: (x.prev_stored_hash as string | null) ?? null }));
  }

  async insertCheckpoint(tx: Queryable, cp: StoredCheckpoint): Promise<void> {
    await tx.query(
      'INSERT INTO audit_checkpoints (tree_size, root_hash, signed_at, key_id, signature, frontier) VALUES ($1, $2, $3, $4, $5, $6)',
      [cp.treeSize, cp.rootHash, cp.signedAt, cp.keyId, cp.signature, JSON.stringify(cp.frontier)],
    );
  }

  async latestCheckpoint(db: Queryable): Promise<StoredCheckpoint | null> {
    const r = await db.query(`${SELECT_CHECKPOINT} ORDER BY tree_size DESC LIMIT 1`);
    return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
  }

  async checkpointAt(db: Queryable, treeSize: number): Promise<StoredCheckpoint | null> {
    const r = await db.query(`${SELECT_CHECKPOINT} WHERE tree_size = $1`, [treeSize]);
    return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
  }

  /** The first checkpoint that includes leaf `index` (the smallest tree it is in). */
  async firstCheckpointCovering(db: Queryable, index: number): Promise<StoredCheckpoint | null> {
    const r = await db.query(`${SELECT_CHECKPOINT} WHERE tree_size > $1 ORDER BY tree_size LIMIT 1`, [index]);
    return r.rows[0] ? toCheckpoint(r.rows[0]) : null;
  }

  /** Newest first; `before` is a tree size (the keyset of the next page). */
  async listCheckpoints(db: Queryable, limit: number, before?: number): Promise<StoredCheckpoint[]> {
    const r = await db.query(
      `${SELECT_CHECKPOINT} WHERE ($1::bigint IS NULL OR tree_size < $1) ORDER BY tree_size DESC LIMIT $2`, [before ?? null, limit],
    );
    return r.rows.map(toCheckpoint);
  }

  /** Checkpoints above a tree size, oldest first. */
  async checkpointsAfter(db: Queryable, treeSize: number): Promise<StoredCheckpoint[]> {
    const r = await db.query(`${SELECT_CHECKPOINT} WHERE tree_size > $1 ORDER BY tree_size`, [treeSize]);
    return r.rows.map(toCheckpoint);
  }

  async lastVerification(db: Queryable): Promise<StoredVerification | null> {
    const r = await db.query<{ tree_size: string; root_hash: string; frontier: StoredVerification['frontier']; verified_at: Date }>(
      'SELECT tree_size, root_hash, frontier, verified_at FROM audit_verifications ORDER BY id DESC LIMIT 1',
    );
    const v = r.rows[0];
    return v ? { treeSize: Number(v.tree_size), rootHash: v.root_hash, frontier: v.frontier, verifiedAt: v.verified_at.toISOString() } : null;
  }

  async recordVerification(db: Queryable, v: { treeSize: number; rootHash: string; frontier: StoredVerification['frontier']; mode: 'full' | 'incremental'; checked: number }): Promise<void> {
    await db.query(
      'INSERT INTO audit_verifications (tree_size, root_hash, frontier, mode, checked) VALUES ($1, $2, $3, $4, $5)',
      [v.treeSize, v.rootHash, JSON.stringify(v.frontier), v.mode, v.checked],
    );
  }
}

const SELECT_CHECKPOINT = 'SELECT tree_size, root_hash, signed_at, key_id, signature, frontier FROM audit_checkpoints';

function toCheckpoint(r: Record<string, unknown>): StoredCheckpoint {
  return {
    treeSize: Number(r.tree_size), rootHash: String(r.root_hash), signedAt: (r.signed_at as Date).toISOString(),
    keyId: String(r.key_id), signature: String(r.signature), frontier: r.frontier as StoredCheckpoint['frontier'],
  };
}

function toLeaf(r: Record<string, unknown>): LeafRow {
  return { leafIndex: Number(r.leaf_index), seq: Number(r.seq), chainId: String(r.chain_id), chainSeq: Number(r.chain_seq), leafHash: String(r.leaf_hash) };
}
