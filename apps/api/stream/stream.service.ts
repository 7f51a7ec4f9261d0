import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import { Client, type Notification, type Pool } from 'pg';
import type { FuusioConfig } from '../../../libs/config/config';
import { FUUSIO_CONFIG } from '../../../libs/config/config.module';
import { PG_POOL } from '../../../libs/db/db.module';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { covers } from '../auth/scope.policy';

export const PROGRESS_CHANNEL = 'fuusio_progress';
export const HEARTBEAT_MS = 15_000;
const RECONNECT_MS = 2_000;

/** What the stream needs of one connected client. */
export type StreamSubscriber = {
  user: Pick<TokenOwner, 'organisation'>;
  send(event: string, data: unknown): void;
  close(): void;
};

/**
 * One LISTEN connection per API process, opened when the first client subscribes, fanned out to every
 * Server-Sent Events client. Tokens scoped to an organisation only hear of that organisation's workflows.
 */
@Injectable()
export class StreamService implements OnModuleDestroy {
  private readonly log = new Logger(StreamService.name);
  private readonly subscribers = new Set<StreamSubscriber>();
  private listener: Client | null = null;
  private connecting: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  get size(): number {
    return this.subscribers.size;
  }

  /** Adds a client once the LISTEN is in place, so nothing written after this resolves is missed. */
  async subscribe(s: StreamSubscriber): Promise<() => void> {
    await this.ensureListening();
    this.subscribers.add(s);
    return () => {
      this.subscribers.delete(s);
    };
  }

  private ensureListening(): Promise<void> {
    if (this.listener) return Promise.resolve();
    this.connecting ??= this.connect().finally(() => {
      this.connecting = null;
    });
    return this.connecting;
  }

  private async connect(): Promise<void> {
    const client = new Client({ connectionString: this.config.databaseUrl, application_name: 'fuusio-stream' });
    client.on('error', (err) => this.lost(client, err));
    client.on('end', () => this.lost(client));
    client.on('notification', (n) => void this.dispatch(n));
    await client.connect();
    await client.query(`LISTEN ${PROGRESS_CHANNEL}`);
    if (this.closed) {
      await client.end().catch(() => undefined);
      return;
    }
    this.listener = client;
    // Notifications sent while the connection was down are lost: tell the clients to read afresh.
    if (this.subscribers.size) this.broadcast('resync', {});
  }

  private broadcast(event: string, data: unknown): void {
    for (const s of this.subscribers) {
      try {
        s.send(event, data);
      } catch {
        this.subscribers.delete(s);
      }
    }
  }

  /** The LISTEN connection dropped: reconnect while anyone is still listening. */
  private lost(client: Client, err?: Error): void {
    if (this.listener !== client) return;
    this.listener = null;
    if (this.closed) return;
    this.log.warn(`LISTEN connection lost${err ? `: ${err.message}` : ''}; reconnecting`);
    client.end().catch(() => undefined);
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    if (this.reconnectTimer || this.closed || this.subscribers.size === 0) return;
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      this.ensureListening().catch((err: Error) => {
        this.log.warn(`LISTEN reconnect failed: ${err.message}`);
        this.scheduleReconnect();
      });
    }, RECONNECT_MS);
  }

  private async dispatch(n: Notification): Promise<void> {
    const workflowId = n.payload;
    if (!workflowId || this.subscribers.size === 0) return;
    const targets = [...this.subscribers];
    let organisations: string[] | null = null;
    if (targets.some((s) => s.user.organisation)) {
      try {
        const r = await this.pool.query<{ organisations: string[] }>('SELECT organisations FROM process_runs WHERE workflow_id = $1', [workflowId]);
        organisations = r.rows[0]?.organisations ?? [];
      } catch (err) {
        this.log.warn(`could not scope a progress event: ${(err as Error).message}`);
        organisations = [];
      }
    }
    for (const s of targets) {
      if (!covers(s.user, organisations ?? [])) continue;
      try {
        s.send('progress', { workflowId });
      } catch {
        this.subscribers.delete(s);
      }
    }
  }

  async onModuleDestroy(): Promise<void> {
    this.closed = true;
    if (this.reconnectTimer) clearTimeout(this.reconnectTimer);
    // Open event streams would keep the HTTP server from closing: end them first.
    for (const s of this.subscribers) s.close();
    this.subscribers.clear();
    await this.connecting?.catch(() => undefined);
    const client = this.listener;
    this.listener = null;
    await client?.end().catch(() => undefined);
  }
}
