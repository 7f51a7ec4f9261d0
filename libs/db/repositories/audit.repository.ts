import { createHash, randomBytes } from 'node:crypto';
import { restorePersonal, separatePersonal, type PersonalFields } from '../../domain/personal-data';
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
  /** The chained content: personal fields are not in it, only their digest (`personalDigest`). */
  payload: Record<string, unknown>;
  prevHash: string;
  hash: string;
  /** The personal fields kept beside the row, by path in the payload; null when there were none or they were erased. */
  personal: PersonalFields | null;
  personalErasedAt: string | null;
};

/** The payload as it was written: the chained content with the personal fields put back where they are still kept. */
export function restoredPayload(row: Pick<AuditEventRow, 'payload' | 'personal'>): Record<string, unknown> {
  return restorePersonal(row.payload, row.personal);
}

/** The salted digest that stands in the chain for a row's personal fields. */
export function personalDigest(salt: string, personal: PersonalFields): string {
  return createHash('sha256').update(salt).update('\n').update(canonicalJson(personal)).digest('hex');
}

export function hashAuditEvent(
  prevHash: string,
  e: Pick<AuditEventRow, 'seq' | 'idempotencyKey' | 'workflowId' | 'action' | 'actor' | 'occurredAt' | 'payload'>,
): string {
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
    const { chained, personal } = separatePersonal(JSON.parse(canonicalJson(input.payload)) as Record<string, unknown>);
    const hasPersonal = Object.keys(personal).length > 0;
    const salt = hasPersonal ? randomBytes(16).toString('hex') : null;
    const base = {
      seq,
      idempotencyKey: input.idempotencyKey,
      workflowId: input.workflowId,
      action: input.action,
      actor: input.actor,
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      payload: salt ? { ...chained, personalDigest: personalDigest(salt, personal) } : chained,
    };
    const hash = hashAuditEvent(prevHash, base);
    await tx.query(
      `INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [seq, base.idempotencyKey, base.workflowId, base.action, base.actor, base.occurredAt, base.payload, prevHash, hash],
    );
    if (salt) await tx.query('INSERT INTO audit_personal (seq, salt, fields) VALUES ($1, $2, $3)', [seq, salt, personal]);
    return { ...base, prevHash, hash, personal: hasPersonal ? personal : null, personalErasedAt: null };
  }

  async exists(db: Queryable, idempotencyKey: string): Promise<boolean> {
    const r = await db.query('SELECT 1 FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
    return (r.rowCount ?? 0) > 0;
  }

  async forWorkflow(db: Queryable, workflowId: string): Promise<AuditEventRow[]> {
    const r = await db.query(`${SELECT_AUDIT} WHERE e.workflow_id = $1 ORDER BY e.seq`, [workflowId]);
    return r.rows.map(toAuditRow);
  }

  /** The workflow's audit events up to and including `at`, oldest first. */
  async forWorkflowUntil(db: Queryable, workflowId: string, at: Date): Promise<AuditEventRow[]> {
    const r = await db.query(`${SELECT_AUDIT} WHERE e.workflow_id = $1 AND e.occurred_at <= $2 ORDER BY e.seq`, [workflowId, at]);
    return r.rows.map(toAuditRow);
  }

  /** Walks the chain in seq order in pages; returns the first row whose link or hash does not hold. */
  async verify(db: Queryable, pageSize = 5000): Promise<{ ok: boolean; checked: number; firstBrokenSeq?: number }> {
    let prevHash = GENESIS_HASH;
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const r = await db.query(
        `${SELECT_AUDIT_FOR_VERIFY} WHERE e.seq >= $1 ORDER BY e.seq LIMIT $2`,
        [expectedSeq, pageSize],
      );
      if (r.rows.length === 0) return { ok: true, checked };
      for (const raw of r.rows) {
        const row = toAuditRow(raw);
        // The hash sees occurred_at to the millisecond (as written); a change below that is a change too.
        const subMillisecond = Number(raw.occurred_sub_ms) !== 0;
        const broken = row.seq !== expectedSeq || row.prevHash !== prevHash || subMillisecond || hashAuditEvent(prevHash, row) !== row.hash
          || !personalFieldsHold(row, raw);
        if (broken) return { ok: false, checked, firstBrokenSeq: Math.min(row.seq, expectedSeq) };
        prevHash = row.hash;
        expectedSeq += 1;
        checked += 1;
      }
    }
  }
}

const AUDIT_COLUMNS = `e.seq, e.idempotency_key, e.workflow_id, e.action, e.actor, e.occurred_at, e.payload, e.prev_hash, e.hash,
  p.seq AS personal_seq, p.fields AS personal_fields, p.salt AS personal_salt, p.erased_at AS personal_erased_at`;
const SELECT_AUDIT = `SELECT ${AUDIT_COLUMNS} FROM audit_events e LEFT JOIN audit_personal p ON p.seq = e.seq`;
/** Also the microseconds of occurred_at below the millisecond: always 0 as appended (times are written in ms). */
const SELECT_AUDIT_FOR_VERIFY = `SELECT ${AUDIT_COLUMNS}, (extract(microseconds FROM e.occurred_at)::bigint % 1000) AS occurred_sub_ms
  FROM audit_events e LEFT JOIN audit_personal p ON p.seq = e.seq`;

/**
 * A row's personal fields still match the digest its chained payload carries (or were erased, which
 * leaves the digest standing); a row without a digest has no personal fields beside it.
 */
function personalFieldsHold(row: AuditEventRow, raw: Record<string, unknown>): boolean {
  const digest = row.payload.personalDigest;
  if (digest === undefined) return raw.personal_seq === null;
  if (raw.personal_seq === null) return false;
  if (raw.personal_erased_at !== null) return true;
  const fields = raw.personal_fields as PersonalFields | null;
  return typeof raw.personal_salt === 'string' && fields !== null && personalDigest(raw.personal_salt, fields) === digest;
}

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
    personal: (r.personal_fields as PersonalFields | null) ?? null,
    personalErasedAt: r.personal_erased_at ? (r.personal_erased_at as Date).toISOString() : null,
  };
}
