import type { Channel, Language, MessageKind, MessageParams } from '../../domain/notifications';
import type { Queryable } from '../pool';

export type OutboxInsert = {
  idempotencyKey: string;
  workflowId: string;
  stepKey: string;
  channel: Channel;
  recipient: string;
  language: Language;
  template: MessageKind;
  params: MessageParams;
  /** Written as `held`: waits for the recipient's daily digest instead of being sent. */
  held?: boolean;
};

export type OutboxStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'dead' | 'held' | 'digested';

/** A held message as the digest collects it, with the Helsinki day it was written on. */
export type HeldMessage = { id: number; recipient: string; language: Language; template: MessageKind; params: MessageParams; day: string };

export type OutboxRow = OutboxInsert & {
  id: number;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  createdAt: string;
  sentAt: string | null;
};

/** A claimed row, with the status it had: `sending` means an earlier sender stopped before recording the outcome. */
export type ClaimedRow = OutboxRow & { claimedFrom: OutboxStatus };

export type Webhook = {
  id: number; organisation: string; url: string; secret: string; createdBy: string; createdAt: string; active: boolean;
  deactivatedAt: string | null; deactivatedBy: string | null;
};

const WEBHOOK_COLUMNS = 'id, organisation, url, secret, created_by, created_at, active, deactivated_at, deactivated_by';

const COLUMNS = `id, idempotency_key, workflow_id, step_key, channel, recipient, language, template, params, status, attempts,
  next_attempt_at, last_error, created_at, sent_at`;

/** The outbox and the webhook registrations (the only SQL for them). */
export class OutboxRepository {
  /** Inside the transaction of the write that causes the messages; a key written before adds nothing. */
  async enqueue(tx: Queryable, rows: OutboxInsert[]): Promise<number> {
    if (rows.length === 0) return 0;
    const r = await tx.query(
      `INSERT INTO outbox (idempotency_key, workflow_id, step_key, channel, recipient, language, template, params, status)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::jsonb[], $9::text[])
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        rows.map((x) => x.idempotencyKey), rows.map((x) => x.workflowId), rows.map((x) => x.stepKey), rows.map((x) => x.channel),
        rows.map((x) => x.recipient), rows.map((x) => x.language), rows.map((x) => x.template), rows.map((x) => JSON.stringify(x.params)),
        rows.map((x) => (x.held ? 'held' : 'pending')),
      ],
    );
    return r.rowCount ?? 0;
  }

  /**
   * Claims up to `limit` due messages (skipping those another sender holds) with a lease: another sender
   * takes them up only when it runs out (this one died). The status is left as it was; `markSending` sets it
   * just before each message is handed over, so only that one message can be in doubt after a crash.
   */
  async claimDue(tx: Queryable, channels: Channel[], limit: number, leaseMs: number): Promise<ClaimedRow[]> {
    const r = await tx.query(
      `WITH due AS (
         SELECT id, status FROM outbox
          WHERE status IN ('pending', 'failed', 'sending') AND next_attempt_at <= now() AND channel = ANY($1::text[])
          ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
       UPDATE outbox o SET attempts = o.attempts + 1,
              next_attempt_at = now() + make_interval(secs => $3::double precision / 1000)
         FROM due WHERE o.id = due.id
       RETURNING ${COLUMNS.split(',').map((c) => `o.${c.trim()}`).join(', ')}, due.status AS claimed_from`,
      [channels, limit, leaseMs],
    );
    return r.rows.map((x) => ({ ...toRow(x), claimedFrom: x.claimed_from as OutboxStatus })).sort((a, b) => a.id - b.id);
  }

  /** Committed on its own right before the hand-over: a crash after it leaves the message in doubt, not lost. */
  async markSending(db: Queryable, id: number): Promise<void> {
    await db.query(`UPDATE outbox SET status = 'sending' WHERE id = $1`, [id]);
  }

  async markSent(tx: Queryable, id: number): Promise<void> {
    await tx.query(`UPDATE outbox SET status = 'sent', sent_at = now(), last_error = NULL WHERE id = $1`, [id]);
  }

  /** A failed attempt: tried again after `retryInMs`, or dead (the dead-letter list) when that is null. */
  async markFailed(tx: Queryable, id: number, error: string, retryInMs: number | null): Promise<void> {
    await tx.query(
      `UPDATE outbox SET status = CASE WHEN $3::double precision IS NULL THEN 'dead' ELSE 'failed' END, last_error = $2,
              next_attempt_at = CASE WHEN $3::double precision IS NULL THEN next_attempt_at
                                     ELSE now() + make_interval(secs => $3::double precision / 1000) END
        WHERE id = $1`,
      [id, error.slice(0, 1000), retryInMs],
    );
  }

  /**
   * Held messages written on Helsinki days before `today` (those days are over, so their digests are complete),
   * locked for this transaction; another sender skips them.
   */
  async heldBefore(tx: Queryable, today: string, limit: number): Promise<HeldMessage[]> {
    const r = await tx.query(
      `SELECT id, recipient, language, template, params, (created_at AT TIME ZONE 'Europe/Helsinki')::date::text AS day FROM outbox
        WHERE status = 'held' AND (created_at AT TIME ZONE 'Europe/Helsinki')::date < $1::date
        ORDER BY id LIMIT $2 FOR UPDATE SKIP LOCKED`,
      [today, limit],
    );
    return r.rows.map((x) => ({
      id: Number(x.id), recipient: String(x.recipient), language: x.language as Language, template: x.template as MessageKind,
      params: x.params as MessageParams, day: String(x.day),
    }));
  }

  /**
   * The digest of a person's day as one outbox row (sent, retried and dead-lettered like any mail), and the
   * held messages marked `digested` into it. Its key is per person and day, so a day never has two digests:
   * a message of that day that was still uncommitted when the digest was made is released to go on its own
   * rather than be lost. Returns the digest's id, or null when the day's digest existed already.
   */
  async digest(tx: Queryable, d: OutboxInsert, heldIds: number[]): Promise<number | null> {
    const r = await tx.query<{ id: string }>(
      `INSERT INTO outbox (idempotency_key, workflow_id, step_key, channel, recipient, language, template, params)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
      [d.idempotencyKey, d.workflowId, d.stepKey, d.channel, d.recipient, d.language, d.template, JSON.stringify(d.params)],
    );
    const id = r.rows[0] ? Number(r.rows[0].id) : null;
    await tx.query(
      `UPDATE outbox SET status = CASE WHEN $2::bigint IS NULL THEN 'pending' ELSE 'digested' END, digest_id = $2
        WHERE id = ANY($1::bigint[]) AND status = 'held'`,
      [heldIds, id],
    );
    return id;
  }

  /** An admin sends a dead message again: a fresh round of attempts, due now. Null when it is not dead. */
  async retryDead(tx: Queryable, id: number): Promise<OutboxRow | null> {
    const r = await tx.query(
      `UPDATE outbox SET status = 'pending', attempts = 0, next_attempt_at = now() WHERE id = $1 AND status = 'dead' RETURNING ${COLUMNS}`,
      [id],
    );
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async find(db: Queryable, id: number): Promise<OutboxRow | null> {
    const r = await db.query(`SELECT ${COLUMNS} FROM outbox WHERE id = $1`, [id]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async forWorkflow(db: Queryable, workflowId: string): Promise<OutboxRow[]> {
    const r = await db.query(`SELECT ${COLUMNS} FROM outbox WHERE workflow_id = $1 ORDER BY id`, [workflowId]);
    return r.rows.map(toRow);
  }

  async dead(db: Queryable, limit = 200): Promise<OutboxRow[]> {
    const r = await db.query(`SELECT ${COLUMNS} FROM outbox WHERE status = 'dead' ORDER BY id LIMIT $1`, [limit]);
    return r.rows.map(toRow);
  }

  /** The tracked title of a workflow, which messages name it by. */
  /** The run's title and kind, which the mails read the workflow's texts by. */
  async runHeading(db: Queryable, workflowId: string): Promise<{ title: string; kind: string } | null> {
    const r = await db.query<{ title: string; kind: string }>('SELECT title, kind FROM process_runs WHERE workflow_id = $1', [workflowId]);
    return r.rows[0] ?? null;
  }

  async createWebhook(tx: Queryable, w: { organisation: string; url: string; secret: string; createdBy: string }): Promise<Webhook> {
    const r = await tx.query(
      `INSERT INTO webhooks (organisation, url, secret, created_by) VALUES ($1, $2, $3, $4)
       RETURNING ${WEBHOOK_COLUMNS}`,
      [w.organisation, w.url, w.secret, w.createdBy],
    );
    return toWebhook(r.rows[0] as Record<string, unknown>);
  }

  async webhook(db: Queryable, id: number): Promise<Webhook | null> {
    const r = await db.query(`SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE id = $1`, [id]);
    return r.rows[0] ? toWebhook(r.rows[0]) : null;
  }

  /** Webhooks in id order, all or one organisation's (a scoped admin's). */
  async webhooks(db: Queryable, organisation: string | null): Promise<Webhook[]> {
    const r = await db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks WHERE ($1::text IS NULL OR organisation = $1) ORDER BY id`, [organisation]);
    return r.rows.map(toWebhook);
  }

  /** Switches a webhook off; null when it was off already. Messages still queued for it then go to the dead letters. */
  async deactivateWebhook(tx: Queryable, id: number, by: string): Promise<Webhook | null> {
    const r = await tx.query(
      `UPDATE webhooks SET active = false, deactivated_at = now(), deactivated_by = $2 WHERE id = $1 AND active
       RETURNING ${WEBHOOK_COLUMNS}`,
      [id, by],
    );
    return r.rows[0] ? toWebhook(r.rows[0]) : null;
  }

  async activeWebhooks(db: Queryable, organisations: string[]): Promise<Webhook[]> {
    const r = await db.query(
      `SELECT ${WEBHOOK_COLUMNS} FROM webhooks
        WHERE active AND organisation = ANY($1::text[]) ORDER BY id`,
      [organisations],
    );
    return r.rows.map(toWebhook);
  }
}

const iso = (v: unknown): string => (v instanceof Date ? v.toISOString() : String(v));

function toRow(x: Record<string, unknown>): OutboxRow {
  return {
    id: Number(x.id),
    idempotencyKey: String(x.idempotency_key),
    workflowId: String(x.workflow_id),
    stepKey: String(x.step_key),
    channel: x.channel as Channel,
    recipient: String(x.recipient),
    language: x.language as Language,
    template: x.template as MessageKind,
    params: x.params as MessageParams,
    status: x.status as OutboxStatus,
    attempts: Number(x.attempts),
    nextAttemptAt: iso(x.next_attempt_at),
    lastError: (x.last_error as string | null) ?? null,
    createdAt: iso(x.created_at),
    sentAt: x.sent_at ? iso(x.sent_at) : null,
  };
}

function toWebhook(x: Record<string, unknown>): Webhook {
  return {
    id: Number(x.id), organisation: String(x.organisation), url: String(x.url), secret: String(x.secret),
    createdBy: String(x.created_by), createdAt: iso(x.created_at), active: Boolean(x.active),
    deactivatedAt: x.deactivated_at ? iso(x.deactivated_at) : null, deactivatedBy: (x.deactivated_by as string | null) ?? null,
  };
}
