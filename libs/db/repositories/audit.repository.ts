import { createHash, hash, randomBytes } from 'node:crypto';
import { restorePersonal, separatePersonal, type PersonalFields } from '../../domain/personal-data';
import { canonicalJson } from '../canonical-json';
import type { Pool } from 'pg';
import { prefetchedPages } from '../pages';
import { withTransaction, type Queryable } from '../pool';

export const GENESIS_HASH = '0'.repeat(64);
/** The chain of the rows written before per-workflow chains (migration 0012): verified with the old formula. */
export const LEGACY_CHAIN = 'legacy';

/**
 * The chain an event joins: its workflow's, or, without a workflow (tokens, people, API calls on no
 * workflow), its actor's. Appends to different chains never wait for each other.
 */
export function chainOf(workflowId: string | null, actor: string): string {
  return workflowId !== null ? `workflow:${workflowId}` : `actor:${actor}`;
}

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
  /** The chain the row belongs to and its place there (1, 2, …; legacy rows: their seq). */
  chainId: string;
  chainSeq: number;
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

/** The hash of a row of the legacy chain (before migration 0012): it does not see the chain columns. */
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

type ChainedContent = Pick<AuditEventRow, 'chainId' | 'idempotencyKey' | 'workflowId' | 'action' | 'actor' | 'occurredAt' | 'payload'>;

/** The digest of a chained row's content (what the caller hands to audit_append). */
export function contentDigest(e: ChainedContent): string {
  const content = canonicalJson({
    chainId: e.chainId,
    idempotencyKey: e.idempotencyKey,
    workflowId: e.workflowId,
    action: e.action,
    actor: e.actor,
    occurredAt: e.occurredAt,
    payload: e.payload,
  });
  return hash('sha256', content, 'hex');
}

/** A link of a per-workflow/per-actor chain, as audit_append (migration 0012) computes it in the database. */
export function linkHash(prevHash: string, chainSeq: number, seq: number, digest: string): string {
  // One-shot: a full verify computes this and the digest above for every event.
  return hash('sha256', `${prevHash}\n${chainSeq}\n${seq}\n${digest}`, 'hex');
}

/** The hash a row must carry: the legacy formula in the legacy chain, the link formula elsewhere. */
export function expectedHash(row: AuditEventRow): string {
  return row.chainId === LEGACY_CHAIN
    ? hashAuditEvent(row.prevHash, row)
    : linkHash(row.prevHash, row.chainSeq, row.seq, contentDigest(row));
}

export type ChainProblem = { seq: number; chainId: string; chainSeq: number; reason: string };
export type ChainVerification = { ok: boolean; checked: number; chains: number; firstBrokenSeq?: number; problem?: ChainProblem };

export class AuditRepository {
  /**
   * Must run inside a transaction. Returns null when the key was recorded before (a retry). One round
   * trip: audit_append locks only this chain's head, so writers of other chains do not wait.
   */
  async append(tx: Queryable, input: AuditEventInput): Promise<AuditEventRow | null> {
    const { chained, personal } = separatePersonal(JSON.parse(canonicalJson(input.payload)) as Record<string, unknown>);
    const hasPersonal = Object.keys(personal).length > 0;
    const salt = hasPersonal ? randomBytes(16).toString('hex') : null;
    const base = {
      chainId: chainOf(input.workflowId, input.actor),
      idempotencyKey: input.idempotencyKey,
      workflowId: input.workflowId,
      action: input.action,
      actor: input.actor,
      occurredAt: (input.occurredAt ?? new Date()).toISOString(),
      payload: salt ? { ...chained, personalDigest: personalDigest(salt, personal) } : chained,
    };
    const r = await tx.query<{ seq: string; chain_seq: string; prev_hash: string; hash: string }>(
      'SELECT seq, chain_seq, prev_hash, hash FROM audit_append($1, $2, $3, $4, $5, $6, $7, $8)',
      [base.chainId, base.idempotencyKey, base.workflowId, base.action, base.actor, base.occurredAt, base.payload, contentDigest(base)],
    );
    const linked = r.rows[0];
    if (!linked) return null;
    const seq = Number(linked.seq);
    if (salt) await tx.query('INSERT INTO audit_personal (seq, salt, fields) VALUES ($1, $2, $3)', [seq, salt, personal]);
    return {
      ...base, seq, chainSeq: Number(linked.chain_seq), prevHash: linked.prev_hash, hash: linked.hash,
      personal: hasPersonal ? personal : null, personalErasedAt: null,
    };
  }

  /**
   * An event written on its own (no surrounding transaction): one autocommitted statement, or a
   * transaction when personal fields need their row beside it.
   */
  async appendAlone(pool: Pool, input: AuditEventInput): Promise<AuditEventRow | null> {
    const { personal } = separatePersonal(JSON.parse(canonicalJson(input.payload)) as Record<string, unknown>);
    return Object.keys(personal).length > 0 ? withTransaction(pool, (tx) => this.append(tx, input)) : this.append(pool, input);
  }

  async count(db: Queryable): Promise<number> {
    const r = await db.query<{ n: string }>('SELECT count(*) AS n FROM audit_events');
    return Number(r.rows[0]!.n);
  }

  async exists(db: Queryable, idempotencyKey: string): Promise<boolean> {
    const r = await db.query('SELECT 1 FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
    return (r.rowCount ?? 0) > 0;
  }

  async bySeq(db: Queryable, seq: number): Promise<AuditEventRow | null> {
    const r = await db.query(`${SELECT_AUDIT} WHERE e.seq = $1`, [seq]);
    return r.rows[0] ? toAuditRow(r.rows[0]) : null;
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

  /**
   * Walks every chain at once in seq order (a chain's links are in seq order too) and stops at the first
   * row whose place, link or hash does not hold; then checks each chain's head names its last row, so a
   * cut-off tail is found as well. The Merkle log and the checkpoints are checked by libs/audit/verifier.
   * While others append, pass a client in a REPEATABLE READ transaction (withSnapshot): pages read from
   * one snapshot never show a later link without the one before it.
   */
  async verify(db: Queryable, pageSize = 5000, onPage?: (checked: number) => void): Promise<ChainVerification> {
    const tips = new Map<string, { chainSeq: number; hash: string; seq: number }>();
    let checked = 0;
    const broken = (row: { seq: number; chainId: string; chainSeq: number }, reason: string): ChainVerification => ({
      ok: false, checked, chains: tips.size, firstBrokenSeq: row.seq, problem: { seq: row.seq, chainId: row.chainId, chainSeq: row.chainSeq, reason },
    });
    const page = (from: number, limit: number) =>
      db.query(`${SELECT_AUDIT_FOR_VERIFY} WHERE e.seq > $1 ORDER BY e.seq LIMIT $2`, [from, limit]).then((r) => r.rows as Record<string, unknown>[]);
    for await (const rows of prefetchedPages(0, pageSize, page, (raw) => Number(raw.seq))) {
      for (const raw of rows) {
        const row = { seq: Number(raw.seq), chainId: String(raw.chain_id), chainSeq: Number(raw.chain_seq) };
        const tip = tips.get(row.chainId) ?? { chainSeq: 0, hash: GENESIS_HASH, seq: 0 };
        if (row.chainSeq !== tip.chainSeq + 1) return broken(row, row.chainSeq <= tip.chainSeq ? 'out of order' : `chain position ${tip.chainSeq + 1} is missing`);
        const problem = linkProblem(raw, tip.hash);
        if (problem) return broken(row, problem);
        tips.set(row.chainId, { chainSeq: row.chainSeq, hash: String(raw.hash), seq: row.seq });
        checked += 1;
      }
      onPage?.(checked);
    }
    const heads = await db.query<{ chain_id: string; chain_seq: string; hash: string; seq: string | null }>(
      'SELECT chain_id, chain_seq, hash, seq FROM audit_chain_heads WHERE chain_seq > 0 ORDER BY seq',
    );
    const headed = new Set(heads.rows.map((h) => h.chain_id));
    for (const [chainId, tip] of tips) {
      if (!headed.has(chainId)) return broken({ seq: tip.seq, chainId, chainSeq: tip.chainSeq }, 'the chain has no recorded head');
    }
    for (const h of heads.rows) {
      const tip = tips.get(h.chain_id);
      if (!tip || tip.chainSeq !== Number(h.chain_seq) || tip.hash !== h.hash) {
        return broken({ seq: Number(h.seq), chainId: h.chain_id, chainSeq: Number(h.chain_seq) }, 'the chain ends before its recorded head');
      }
    }
    return { ok: true, checked, chains: tips.size };
  }
}

const AUDIT_COLUMNS = `e.seq, e.chain_id, e.chain_seq, e.idempotency_key, e.workflow_id, e.action, e.actor, e.occurred_at, e.payload, e.prev_hash, e.hash,
  p.seq AS personal_seq, p.fields AS personal_fields, p.salt AS personal_salt, p.erased_at AS personal_erased_at`;
const SELECT_AUDIT = `SELECT ${AUDIT_COLUMNS} FROM audit_events e LEFT JOIN audit_personal p ON p.seq = e.seq`;
/** Also the microseconds of occurred_at below the millisecond: always 0 as appended (times are written in ms). */
const SELECT_AUDIT_FOR_VERIFY = `SELECT ${AUDIT_COLUMNS}, (extract(microseconds FROM e.occurred_at)::bigint % 1000) AS occurred_sub_ms
  FROM audit_events e LEFT JOIN audit_personal p ON p.seq = e.seq`;

/**
 * What is wrong with a stored row (selected with its personal columns and occurred_sub_ms) given the
 * hash of the link before it; null when it holds.
 */
export function linkProblem(raw: Record<string, unknown>, prevHash: string): string | null {
  const row = toAuditRow(raw);
  if (row.chainId === LEGACY_CHAIN && row.seq !== row.chainSeq) return 'legacy row renumbered';
  if (row.prevHash !== prevHash) return 'prev_hash does not name the previous link';
  // The hash sees occurred_at to the millisecond (as written); a change below that is a change too.
  if (Number(raw.occurred_sub_ms) !== 0 || expectedHash(row) !== row.hash) return 'content does not match its hash';
  if (!personalFieldsHold(row, raw)) return 'personal fields do not match their digest';
  return null;
}

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

export function toAuditRow(r: Record<string, unknown>): AuditEventRow {
  return {
    seq: Number(r.seq),
    chainId: String(r.chain_id),
    chainSeq: Number(r.chain_seq),
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
