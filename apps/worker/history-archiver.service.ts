import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../../libs/config/config';
import { FUUSIO_CONFIG } from '../../libs/config/config.module';
import { PG_POOL } from '../../libs/db/db.module';
import type { Logger } from '../../libs/logging/logger';
import { helsinkiDate } from '../../libs/domain/helsinki-time';
import { archiveClosedRuns } from '../../libs/temporal/history-archiver';
import { eraseExpiredHistories } from '../../libs/temporal/history-retention';
import { LOGGER } from './logger.provider';

/**
 * Beside the worker: every ARCHIVE_EVERY_MS, the closed runs' histories go into PostgreSQL before the
 * namespace retention deletes them, and archived histories past their process's retention are erased. A pass that hit its bound runs again at once, so a backlog (after
 * downtime) is worked off without waiting for the timer.
 */
@Injectable()
export class HistoryArchiverService implements OnModuleInit, OnApplicationShutdown {
  private connection?: Connection;
  private timer?: NodeJS.Timeout;
  private pass?: Promise<void>;
  private stopped = false;

  constructor(
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    if (this.config.archiveEveryMs === 0) return;
    this.schedule(1_000);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.pass = this.runPass().then((more) => this.schedule(more ? 0 : this.config.archiveEveryMs));
    }, ms);
    this.timer.unref();
  }

  /** One bounded pass; true when more runs wait. Errors are logged and retried on the next tick. */
  private async runPass(): Promise<boolean> {
    try {
      this.connection ??= await Connection.connect({ address: this.config.temporal.address });
      const client = new Client({ connection: this.connection, namespace: this.config.temporal.namespace });
      const pass = await archiveClosedRuns({
        client, pool: this.pool, limit: 200,
        // Each worker deployment archives what its task queue ran (children run on the parent's queue).
        filter: `TaskQueue = "${this.config.temporal.taskQueue}"`,
        onError: (run, err) => this.log.warn({ ...run, err: String(err) }, 'history not archived; retried on a later pass'),
      });
      if (pass.archived.length) this.log.info({ archived: pass.archived.length, more: pass.more }, 'histories archived');
      const { erased } = await eraseExpiredHistories({ pool: this.pool, today: helsinkiDate(Date.now()) });
      if (erased.length) this.log.info({ erased: erased.length }, 'archived histories past their retention erased');
      return pass.more && pass.failed === 0;
    } catch (err) {
      this.log.warn({ err: String(err) }, 'history archiver pass failed');
      return false;
    }
  }

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.pass?.catch(() => undefined);
    await this.connection?.close();
  }
}
