import type { PersonalFields } from '../../domain/personal-data';
import type { Queryable } from '../pool';

export type ErasureRequest = {
  workflowId: string;
  /** Only what this actor (`role:name`) wrote; all of the workflow's personal fields when absent. */
  actor?: string;
  reason: string;
  erasedBy: string;
};

export type ErasureResult = {
  workflowId: string; erased: number; seqs: number[];
  /** The keys that sealed the same values in Temporal's histories, shredded by this erasure. */
  shreddedKeys: string[];
  /** The idempotency keys of the stored inbound events whose payloads this erasure cleared. */
  clearedEvents: string[];
  auditSeq: number | null;
};

type KeptRow = { seq: string; fields: PersonalFields; payload: Record<string, unknown> };

/**
 * Erases personal fields kept beside the audit trail (call inside a transaction; the caller records the
 * erasure as an audit event). The chain is not touched: each row keeps the digest that stood for its
 * fields, so the chain still verifies. The copies of the same values in the live projection (approval
 * comments, step details, the run's result) are cleared too. Returns the seqs of the rows erased.
 */
export class PersonalDataRepository {
  async erase(tx: Queryable, req: ErasureRequest): Promise<number[]> {
    const all = await tx.query<KeptRow & { actor: string }>(
      `SELECT p.seq, p.fields, e.payload, e.actor FROM audit_personal p JOIN audit_events e ON e.seq = p.seq
        WHERE e.workflow_id = $1 AND p.erased_at IS NULL
        ORDER BY p.seq`,
      [req.workflowId],
    );
    const own = req.actor ? all.rows.filter((r) => r.actor === req.actor) : all.rows;
    if (!own.length) return [];
    // An actor's values also stand in later snapshots the workflow wrote (e.g. `workflow.completed` listing
    // the approvals): such a row is a copy and goes whole, while each other value in it stays in the row
    // of the one who wrote it, and in the live projection.
    const values = new Set(own.flatMap((r) => Object.values(r.fields ?? {}).map((v) => JSON.stringify(v))));
    const rows = req.actor ? all.rows.filter((r) => Object.values(r.fields ?? {}).some((v) => values.has(JSON.stringify(v)))) : own;
    // The app role may not UPDATE audit_personal: erase_audit_personal (0008) is its one way to erase. It
    // skips rows a concurrent erasure got to first, so only what it erased has its projection copies cleared.
    const erased = await tx.query<{ seq: string }>(
      'SELECT seq FROM erase_audit_personal($1::bigint[], $2, $3) AS seq ORDER BY seq',
      [rows.map((r) => r.seq), req.erasedBy, req.reason],
    );
    const seqs = erased.rows.map((r) => Number(r.seq));
    for (const row of rows) {
      if (seqs.includes(Number(row.seq))) await this.clearProjectionCopies(tx, req.workflowId, row, values);
    }
    return seqs;
  }

  /**
   * Clears the payloads of the business events stored for the workflow (delivered, or unmatched under its
   * business key, which is its id): a payload of a type without a schema may name people (`signedBy`),
   * and nothing reads a stored payload back (the idempotency key, type and status stay, and the audit
   * trail holds the amounts). An actor-scoped erasure clears only the events that actor sent.
   */
  async clearInboundPayloads(tx: Queryable, req: Pick<ErasureRequest, 'workflowId' | 'actor'>): Promise<string[]> {
    const r = await tx.query<{ idempotency_key: string }>(
      `UPDATE inbound_events SET payload = '{}'::jsonb, detail = 'payload erased'
        WHERE (workflow_id = $1 OR (workflow_id IS NULL AND business_key = $1))
          AND ($2::text IS NULL OR received_by = $2) AND payload <> '{}'::jsonb
        RETURNING idempotency_key`,
      [req.workflowId, req.actor ?? null],
    );
    return r.rows.map((row) => row.idempotency_key).sort();
  }

  /** Whether events that matched no workflow are stored under this business key. */
  async hasUnmatchedEvents(db: Queryable, businessKey: string): Promise<boolean> {
    const r = await db.query(`SELECT 1 FROM inbound_events WHERE workflow_id IS NULL AND business_key = $1 AND status = 'unmatched' LIMIT 1`, [businessKey]);
    return (r.rowCount ?? 0) > 0;
  }

  /** Clears a projection value only where it still is the erased one (a later, kept value stays). */
  private async clearProjectionCopies(tx: Queryable, workflowId: string, row: KeptRow, erasedValues: Set<string>): Promise<void> {
    for (const [path, value] of Object.entries(row.fields)) {
      if (!erasedValues.has(JSON.stringify(value))) continue;
      const [head, index, ...rest] = path.split('.');
      const item = Array.isArray(row.payload[head ?? '']) ? (row.payload[head ?? ''] as Record<string, unknown>[])[Number(index)] : undefined;
      if (head === 'approvals' && item && rest.join('.') === 'comment') {
        await tx.query(
          'UPDATE approvals SET comment = NULL WHERE workflow_id = $1 AND gate = $2 AND party = $3 AND comment = $4',
          [workflowId, item.gate, item.party, value],
        );
      } else if (head === 'steps' && item && rest[0] === 'detail' && rest.length === 2) {
        await tx.query(
          `UPDATE process_steps SET detail = detail - $3::text
            WHERE workflow_id = $1 AND step_key = $2 AND detail -> $3::text = $4::jsonb`,
          [workflowId, item.key, rest[1], JSON.stringify(value)],
        );
      } else if (path.startsWith('run.result.') && path.split('.').length === 3) {
        const key = path.split('.')[2] as string;
        await tx.query(
          `UPDATE process_runs SET result = result - $2::text WHERE workflow_id = $1 AND result -> $2::text = $3::jsonb`,
          [workflowId, key, JSON.stringify(value)],
        );
      }
    }
  }
}

