import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { NativeConnection, type Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../../libs/config/config';
import { FUUSIO_CONFIG } from '../../libs/config/config.module';
import { PG_POOL } from '../../libs/db/db.module';
import type { Logger } from '../../libs/logging/logger';
import { LOGGER } from './logger.provider';
import { createFuusioWorker } from './create-worker';

/** Starts the Temporal worker with the app and drains it on shutdown. */
@Injectable()
export class WorkerService implements OnModuleInit, OnApplicationShutdown {
  private worker?: Worker;
  private connection?: NativeConnection;
  private running?: Promise<void>;

  constructor(
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  async onModuleInit(): Promise<void> {
    const { address, namespace, taskQueue } = this.config.temporal;
    this.connection = await connectWithRetry(address, (attempt, err) =>
      this.log.warn({ address, attempt, err: String(err) }, 'Temporal does not answer yet; retrying'));
    const bundlePath = process.env.FUUSIO_WORKFLOW_BUNDLE;
    this.worker = await createFuusioWorker({
      connection: this.connection,
      namespace,
      taskQueue,
      pool: this.pool,
      ...(bundlePath && existsSync(bundlePath) ? { workflowBundle: { codePath: bundlePath } } : {}),
    });
    this.running = this.worker.run();
    // A crashed worker must take the process down, not linger silently.
    this.running.catch((err: unknown) => {
      this.log.fatal({ err }, 'worker stopped with an error');
      process.exit(1);
    });
    this.log.info({ address, namespace, taskQueue }, 'worker polling');
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.worker && this.worker.getState() === 'RUNNING') this.worker.shutdown();
    await this.running?.catch(() => undefined);
    await this.connection?.close();
  }
}

/** How long a starting worker waits for Temporal (a server restarting, or started at the same time). */
const CONNECT_PATIENCE_MS = 120_000;

/** Connects to Temporal, retrying with backoff while it refuses: a worker that starts first waits rather than dies. */
async function connectWithRetry(address: string, onRetry: (attempt: number, err: unknown) => void): Promise<NativeConnection> {
  const giveUpAt = Date.now() + CONNECT_PATIENCE_MS;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await NativeConnection.connect({ address });
    } catch (err) {
      if (Date.now() > giveUpAt) throw err;
      onRetry(attempt, err);
      await new Promise((r) => setTimeout(r, Math.min(5000, 250 * 2 ** Math.min(attempt, 5))));
    }
  }
}
