import { createHash } from 'node:crypto';
import { canonicalJson } from '../canonical-json';
import type { Queryable } from '../pool';

export const GENESIS_HASH = '0'.repeat(64);
// One chain, one writer at a time: the lock is held until the surrounding transaction ends.
const AUDIT_CHAIN_LOCK = 4_242_001;

export type AuditEventInput = {
  idempotencyKey: string;
  workflowId: string | null;
  action: string;
  actor: string;
  payload: Record<string, unknown>;
  occurredAt?: Date;
};

export type AuditEventRow = {
  seq: number;
  idempotencyKey: string;
  workflowId: string | null;
  action: string;
  actor: string;
  occurredAt: string;
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
};

export function hashAuditEvent(prevHash: string, e: Omit<AuditEventRow, 'hash' | 'prevHash'>): string {
  const content = canonicalJson({
    seq: e.seq,
    idempotencyKey: e.idempotencyKey,
    workflowId: e.workflowId,
    action: e.action,
    actor: e.actor,
    occurredAt: e.occurredAt,
    payload: e.payload,
  });
  return createHash('sha256').update(prevHash).update('\n').update(content).digest('hex');
}

export class AuditRepository {
  /** Must run inside a transaction. Returns null when the key was recorded before (a retry). */
  async append(tx: Queryable, input: AuditEventInput): Promise<AuditEventRow | null> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [AUDIT_CHAIN_LOCK]);
    const seen = await tx.query('SELECT 1 FROM audit_events WHERE idempotency_key = $1', [input.idempotencyKey]);
    if (seen.rowCount) return null;
    const last = await tx.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1',
    );
    const prevHash = last.rows[0]?.hash ?? GENESIS_HASH;
    const seq = Number(last.rows[0]?.seq ?? 0) + 1;
    const base = {
      seq,
      idempotencyKey: input.idempotencyKey,
      workflowId: input.workflowId,
      action: input.action,
      actor: input.actor,
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      payload: JSON.parse(canonicalJson(input.payload)) as Record<string, unknown>,
    };
    const hash = hashAuditEvent(prevHash, base);
    await tx.query(
      `INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [seq, base.idempotencyKey, base.workflowId, base.action, base.actor, base.occurredAt, base.payload, prevHash, hash],
    );
    return { ...base, prevHash, hash };
  }

  async exists(db: Queryable, idempotencyKey: string): Promise<boolean> {
    const r = await db.query('SELECT 1 FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
    return (r.rowCount ?? 0) > 0;
  }

  async forWorkflow(db: Queryable, workflowId: string): Promise<AuditEventRow[]> {
    const r = await db.query(`${SELECT_AUDIT} WHERE workflow_id = $1 ORDER BY seq`, [workflowId]);
    return r.rows.map(toAuditRow);
  }

  /** The workflow's audit events up to and including `at`, oldest first. */
  async forWorkflowUntil(db: Queryable, workflowId: string, at: Date): Promise<AuditEventRow[]> {
    const r = await db.query(`${SELECT_AUDIT} WHERE workflow_id = $1 AND occurred_at <= $2 ORDER BY seq`, [workflowId, at]);
    return r.rows.map(toAuditRow);
  }

  /** Walks the chain in seq order in pages; returns the first row whose link or hash does not hold. */
  async verify(db: Queryable, pageSize = 5000): Promise<{ ok: boolean; checked: number; firstBrokenSeq?: number }> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const r = await db.query(
        `${SELECT_AUDIT_FOR_VERIFY} WHERE seq >= $1 ORDER BY seq LIMIT $2`,
        [expectedSeq, pageSize],
      );
      if (r.rows.length === 0) return { ok: true, checked };
      for (const raw of r.rows) {
        const row = toAuditRow(raw);
        // The hash sees occurred_at to the millisecond (as written); a change below that is a change too.
        const subMillisecond = Number(raw.occurred_sub_ms) !== 0;
        const broken = row.seq !== expectedSeq || row.prevHash !== prevHash || subMillisecond || hashAuditEvent(prevHash, row) !== row.hash;
        if (broken) return { ok: false, checked, firstBrokenSeq: Math.min(row.seq, expectedSeq) };
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
  }
}

const SELECT_AUDIT = `SELECT seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash FROM audit_events`;
/** Also the microseconds of occurred_at below the millisecond: always 0 as appended (times are written in ms). */
const SELECT_AUDIT_FOR_VERIFY = `SELECT seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash,
  (extract(microseconds FROM occurred_at)::bigint % 1000) AS occurred_sub_ms FROM audit_events`;

function toAuditRow(r: Record<string, unknown>): AuditEventRow {
  return {
    seq: Number(r.seq),
    idempotencyKey: String(r.idempotency_key),
    workflowId: (r.workflow_id as string | null) ?? null,
    action: String(r.action),
    actor: String(r.actor),
    occurredAt: (r.occurred_at as Date).toISOString(),
    payload: r.payload as Record<string, unknown>,
    prevHash: String(r.prev_hash),
    hash: String(r.hash),
  };
}
