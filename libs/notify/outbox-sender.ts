import { createTransport, type Transporter } from 'nodemailer';
import type { Pool } from 'pg';
import { helsinkiDate } from '../domain/helsinki-time';
import { MAX_ATTEMPTS, backoffMs, digestKey, type Channel, type MessageParams, type StepMessageKind } from '../domain/notifications';
import type { HeldMessage } from '../db/repositories/outbox.repository';
import { withTransaction } from '../db/pool';
import { AuditRepository } from '../db/repositories/audit.repository';
import { OutboxRepository, type ClaimedRow } from '../db/repositories/outbox.repository';
import { displayNames, recipientsFor } from '../db/repositories/recipients.repository';
import { itemLink, personIdsIn, renderMail } from './catalogue';
import { signWebhook } from './webhook-signature';

/** How often recording one attempt is tried through database faults (about 6 s in all) before the batch gives up. */
const RECORD_ATTEMPTS = 5;

export type OutboxSenderOptions = {
  pool: Pool;
  /** Without it e-mails are left in the outbox for a sender that has SMTP. */
  smtpUrl: string | null;
  publicUrl: string;
  mailFrom?: string;
  batchSize?: number;
  /** How long a claimed message is held before another sender may take it up (a sender that died). */
  leaseMs?: number;
  backoffBaseMs?: number;
  maxAttempts?: number;
  webhookTimeoutMs?: number;
  /** Called after a message was handed to SMTP or the webhook, before the outcome is recorded (tests stop a sender here). */
  afterHandOff?: (row: ClaimedRow) => Promise<void>;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  /** The sender's clock: which Helsinki day it is decides which days' digests are due (tests inject one). */
  now?: () => Date;
};

type Outcome = { ok: true } | { ok: false; error: string; retry: boolean };

/** Thrown for a message that cannot be delivered at all, however often it is tried (no address, no webhook). */
class Undeliverable extends Error {}

/** The actor of the audit events of deliveries. */
export const SENDER_ACTOR = 'system:outbox';

/**
 * Delivers the outbox: claims a bounded batch (FOR UPDATE SKIP LOCKED, so several workers share it), sends
 * each message, and records the outcome with its audit event in one transaction. A message is marked
 * `sending` (committed) just before it is handed over, so a sender that dies after handing an e-mail to SMTP leaves it in
 * doubt rather than sending it again: it goes to the dead-letter list with that reason, where an admin
 * can check the mail server for its Message-ID (the idempotency key) and retry. Webhooks in doubt are sent
 * again with the same x-fuusio-delivery id, which receivers use to drop a repeat.
 */
export class OutboxSender {
  private readonly outbox = new OutboxRepository();
  private readonly audit = new AuditRepository();
  private readonly transport: Transporter | null;
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> = Promise.resolve();
  private stopped = false;

  constructor(private readonly o: OutboxSenderOptions) {
    this.transport = o.smtpUrl ? createTransport(o.smtpUrl) : null;
  }

  private get channels(): Channel[] {
    return this.transport ? ['email', 'webhook'] : ['webhook'];
  }

  /** Polls every `intervalMs` until stop(); one batch at a time. */
  start(intervalMs: number): void {
    this.stopped = false;
    const tick = () => {
      this.running = this.runOnce()
        .catch((err: unknown) => this.o.log?.('outbox batch failed', { err: (err as Error).message }))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, intervalMs);
        });
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    this.transport?.close();
  }

  /** Makes the digests that are due, then claims and delivers one batch; returns how many messages it handled. */
  async runOnce(): Promise<number> {
    await this.makeDigests();
    const rows = await withTransaction(this.o.pool, (tx) =>
      this.outbox.claimDue(tx, this.channels, this.o.batchSize ?? 20, this.o.leaseMs ?? 60_000));
    for (const row of rows) await this.deliver(row);
    return rows.length;
  }

  /**
   * One digest per person and Helsinki day, made once the day is over: every held message of that day goes
   * into it (in the order written) and is marked `digested`; the digest is then an ordinary outbox mail.
   * Returns how many digests it made or added to.
   */
  async makeDigests(): Promise<number> {
    const today = helsinkiDate((this.o.now ?? (() => new Date()))());
    return withTransaction(this.o.pool, async (tx) => {
      const held = await this.outbox.heldBefore(tx, today, 1000);
      const groups = new Map<string, HeldMessage[]>();
      for (const m of held) {
        const key = `${m.recipient}\u0000${m.day}`;
        groups.set(key, [...(groups.get(key) ?? []), m]);
      }
      for (const messages of groups.values()) {
        const { recipient, day, language } = messages[0] as HeldMessage;
        const stepKey = `digest.${day}`;
        const params: MessageParams = {
          title: day, workflowId: 'digest', stepKey, day,
          items: messages.map((m) => ({ template: m.template as StepMessageKind, params: m.params })),
        };
        const id = await this.outbox.digest(tx, {
          idempotencyKey: digestKey(recipient, day), workflowId: 'digest', stepKey, channel: 'email', recipient, language, template: 'digest', params,
        }, messages.map((m) => m.id));
        this.o.log?.('digest made', { recipient, day, digest: id, messages: messages.length });
      }
      return groups.size;
    });
  }

  private async deliver(row: ClaimedRow): Promise<void> {
    if (row.claimedFrom === 'sending' && row.channel === 'email') {
      await this.record(row, { ok: false, retry: false, error: `in doubt: a sender stopped after handing it to SMTP and before recording it; check the mail server for Message-ID ${messageId(row.idempotencyKey)} before retrying` });
      return;
    }
    let outcome: Outcome;
    try {
      await this.outbox.markSending(this.o.pool, row.id);
      if (row.channel === 'email') await this.sendMail(row);
      else await this.postWebhook(row);
      outcome = { ok: true };
    } catch (err) {
      outcome = { ok: false, error: (err as Error).message, retry: !(err instanceof Undeliverable) };
    }
    if (outcome.ok) await this.o.afterHandOff?.(row);
    await this.recordThroughFaults(row, outcome);
  }

  /**
   * Records an attempt, retried through a passing database fault (a restart, a connection refused under
   * load): a message handed over but never recorded would be set aside as in doubt by the next claim.
   */
  private async recordThroughFaults(row: ClaimedRow, outcome: Outcome): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.record(row, outcome);
        return;
      } catch (err) {
        if (attempt >= RECORD_ATTEMPTS || this.stopped) throw err;
        this.o.log?.('recording a delivery failed; trying again', { delivery: row.idempotencyKey, attempt, err: (err as Error).message });
        await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
      }
    }
  }

  private async sendMail(row: ClaimedRow): Promise<void> {
    const [person] = await recipientsFor(this.o.pool, { personIds: [row.recipient] });
    if (!person) throw new Undeliverable(`person ${row.recipient} has no e-mail address (none given, or erased)`);
    const names = await displayNames(this.o.pool, personIdsIn(row.params));
    const mail = renderMail(row.template, person.language, row.params, this.o.publicUrl, names);
    await this.transport?.sendMail({
      from: this.o.mailFrom ?? 'Fuusio <fuusio@localhost>',
      to: person.email,
      subject: mail.subject,
      text: mail.text,
      messageId: messageId(row.idempotencyKey),
      headers: { 'X-Fuusio-Delivery': row.idempotencyKey, 'X-Fuusio-Workflow': row.workflowId },
    });
  }

  private async postWebhook(row: ClaimedRow): Promise<void> {
    const id = Number(row.recipient.replace(/^webhook-/, ''));
    const hook = await this.outbox.webhook(this.o.pool, id);
    if (!hook || !hook.active) throw new Undeliverable(`webhook ${row.recipient} is not registered or not active`);
    const body = JSON.stringify({
      id: row.idempotencyKey, type: row.template, workflowId: row.workflowId, stepKey: row.stepKey,
      params: row.params, link: itemLink(this.o.publicUrl, row.workflowId),
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const res = await fetch(hook.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-fuusio-delivery': row.idempotencyKey,
        'x-fuusio-timestamp': timestamp,
        'x-fuusio-signature': signWebhook(hook.secret, timestamp, body),
      },
      body,
      signal: AbortSignal.timeout(this.o.webhookTimeoutMs ?? 10_000),
    });
    if (!res.ok) throw new Error(`HTTP ${res.status} from the webhook`);
  }

  /** The outcome and its audit event, in one transaction. */
  private async record(row: ClaimedRow, outcome: Outcome): Promise<void> {
    const max = this.o.maxAttempts ?? MAX_ATTEMPTS;
    const retryInMs = !outcome.ok && outcome.retry && row.attempts < max ? backoffMs(row.attempts, this.o.backoffBaseMs) : null;
    const action = outcome.ok ? 'notification.sent' : retryInMs !== null ? 'notification.failed' : 'notification.dead';
    await withTransaction(this.o.pool, async (tx) => {
      if (outcome.ok) await this.outbox.markSent(tx, row.id);
      else await this.outbox.markFailed(tx, row.id, outcome.error, retryInMs);
      await this.audit.append(tx, {
        // Not under `<workflowId>#`: those keys belong to tracked steps (the crosscheck compares them with the history).
        idempotencyKey: `outbox#${row.id}#${row.attempts}#${action}`,
        workflowId: row.workflowId,
        action,
        actor: SENDER_ACTOR,
        payload: {
          delivery: row.idempotencyKey, channel: row.channel, recipient: row.recipient, stepKey: row.stepKey, attempt: row.attempts,
          // As `note`: an SMTP answer may quote an address, so it is kept beside the chain (erasable), not in it.
          ...(outcome.ok ? {} : { note: outcome.error }),
          ...(retryInMs !== null ? { retryInMs } : {}),
        },
      });
    });
    this.o.log?.(action, { delivery: row.idempotencyKey, attempt: row.attempts, ...(outcome.ok ? {} : { error: outcome.error }) });
  }
}

/** The e-mail Message-ID of a message: its idempotency key, so a mail server or reader can tell a repeat. */
export function messageId(idempotencyKey: string): string {
  return `<${encodeURIComponent(idempotencyKey)}@fuusio.local>`;
}
