import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { appendApiEvent } from '../../../libs/db/repositories/api-audit';
import { OutboxRepository, type OutboxRow, type Webhook } from '../../../libs/db/repositories/outbox.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { webhookInputSchema, type WebhookView } from '../../../libs/domain/notifications';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';

/** A delivery as the API shows it: what was sent to whom (a person id or a webhook), and how it went. */
export type DeliveryView = Omit<OutboxRow, 'params'>;

const actor = (user: TokenOwner) => `${user.role}:${user.name}`;

@Injectable()
export class NotificationsService {
  private readonly outbox = new OutboxRepository();
  private readonly registry = new RegistryRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly workflows: WorkflowsService) {}

  /** The deliveries of a workflow the caller may see (its scope is checked as for the detail). */
  async deliveries(workflowId: string, user: TokenOwner): Promise<DeliveryView[]> {
    await this.workflows.detail(workflowId, user);
    return (await this.outbox.forWorkflow(this.pool, workflowId)).map(view);
  }

  async deadLetters(): Promise<DeliveryView[]> {
    return (await this.outbox.dead(this.pool)).map(view);
  }

  /** A dead message is sent again (a fresh round of attempts); the retry is an audit event. */
  async retry(id: number, user: TokenOwner, requestId: string): Promise<DeliveryView> {
    return withTransaction(this.pool, async (tx) => {
      const row = await this.outbox.retryDead(tx, id);
      if (!row) {
        const known = await this.outbox.find(tx, id);
        if (!known) throw ApiError.notFound(`dead letter ${id}`);
        throw ApiError.conflict('not_dead', `message ${id} is ${known.status}, not on the dead-letter list`);
      }
      await appendApiEvent(tx, {
        requestId, workflowId: row.workflowId, action: 'notification.retried', actor: actor(user),
        payload: { delivery: row.idempotencyKey, channel: row.channel, recipient: row.recipient },
      });
      return view(row);
    });
  }

  /** The webhooks an admin may manage (a scoped admin: its organisation's), without their secrets. */
  async webhooks(user: TokenOwner): Promise<{ items: WebhookView[] }> {
    return { items: (await this.outbox.webhooks(this.pool, user.organisation)).map(webhookView) };
  }

  /**
   * Switches a webhook off: nothing more is queued for it, and a message already queued goes to the dead
   * letters when its turn comes. Deactivating twice is refused (422) and writes nothing.
   */
  async deactivateWebhook(id: number, user: TokenOwner, requestId: string): Promise<WebhookView> {
    return withTransaction(this.pool, async (tx) => {
      const hook = Number.isSafeInteger(id) ? await this.outbox.webhook(tx, id) : null;
      if (!hook || (user.organisation && hook.organisation !== user.organisation)) throw ApiError.notFound(`webhook ${id}`);
      const off = await this.outbox.deactivateWebhook(tx, id, actor(user));
      if (!off) {
        throw ApiError.unprocessable('webhook_inactive', `webhook ${id} was deactivated at ${hook.deactivatedAt}`, [{ path: 'id', message: 'already deactivated' }]);
      }
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'webhook.deactivated', actor: actor(user),
        payload: { webhook: id, organisation: hook.organisation, url: hook.url },
      });
      return webhookView(off);
    });
  }

  /** Registers a webhook; its secret is in this answer only (the receiver verifies signatures with it). */
  async createWebhook(body: unknown, user: TokenOwner, requestId: string) {
    const input = parseBody(webhookInputSchema, body);
    if (user.organisation && input.organisation !== user.organisation) {
      throw ApiError.forbidden(`a token scoped to ${user.organisation} registers webhooks of that organisation only`);
    }
    if (!(await this.registry.organisation(this.pool, input.organisation))) {
      throw ApiError.badRequest(`organisation ${input.organisation} is not in the registry`, [{ path: 'organisation', message: 'not in the registry' }]);
    }
    const secret = randomBytes(32).toString('hex');
    return withTransaction(this.pool, async (tx) => {
      const hook = await this.outbox.createWebhook(tx, { ...input, secret, createdBy: actor(user) });
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'webhook.created', actor: actor(user),
        payload: { webhook: hook.id, organisation: hook.organisation, url: hook.url },
      });
      return hook;
    });
  }
}

/** A webhook without its secret. */
function webhookView(hook: Webhook): WebhookView {
  const { secret: _secret, ...rest } = hook;
  return rest;
}

function view(row: OutboxRow): DeliveryView {
  const { params: _params, ...rest } = row;
  return rest;
}
