import type { Queryable } from '../pool';

export type InboundEvent = {
  idempotencyKey: string;
  type: string;
  businessKey: string | null;
  workflowId: string | null;
  payload: Record<string, unknown>;
  status: 'delivered' | 'unmatched';
  receivedBy: string;
};

/** Business events as they arrived; an idempotency key is stored once, so a repeat is recognised. */
export class InboundEventRepository {
  async find(db: Queryable, idempotencyKey: string): Promise<{ workflowId: string | null; status: string; type: string } | null> {
    const r = await db.query('SELECT workflow_id, status, type FROM inbound_events WHERE idempotency_key = $1', [idempotencyKey]);
    return r.rows[0] ? { workflowId: r.rows[0].workflow_id, status: r.rows[0].status, type: r.rows[0].type } : null;
  }

  /** Returns false when the key was already stored. */
  async insert(db: Queryable, e: InboundEvent): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO inbound_events (idempotency_key, type, business_key, workflow_id, payload, status, received_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (idempotency_key) DO NOTHING`,
      [e.idempotencyKey, e.type, e.businessKey, e.workflowId, e.payload, e.status, e.receivedBy],
    );
    return (r.rowCount ?? 0) > 0;
  }
}
