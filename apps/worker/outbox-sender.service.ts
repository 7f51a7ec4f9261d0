import { Inject, Injectable, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../../libs/config/config';
import { FUUSIO_CONFIG } from '../../libs/config/config.module';
import { PG_POOL } from '../../libs/db/db.module';
import type { Logger } from '../../libs/logging/logger';
import { OutboxSender } from '../../libs/notify/outbox-sender';
import { LOGGER } from './logger.provider';

/** Runs the outbox sender beside the Temporal worker: it polls, delivers and records until shutdown. */
@Injectable()
export class OutboxSenderService implements OnModuleInit, OnApplicationShutdown {
  private sender?: OutboxSender;

  constructor(
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(LOGGER) private readonly log: Logger,
  ) {}

  onModuleInit(): void {
    const { smtpUrl, publicUrl, mailFrom, pollMs, leaseMs } = this.config.notify;
    this.sender = new OutboxSender({
      pool: this.pool, smtpUrl, publicUrl, mailFrom, leaseMs,
      log: (msg, fields) => this.log.info(fields, msg),
    });
    this.sender.start(pollMs);
    this.log.info({ smtp: smtpUrl ?? 'none (e-mails wait in the outbox)', publicUrl }, 'outbox sender polling');
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender?.stop();
  }
}
