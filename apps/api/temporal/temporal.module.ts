import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../../../libs/config/config';
import { FUUSIO_CONFIG } from '../../../libs/config/config.module';
import { PG_POOL } from '../../../libs/db/db.module';
import { sealingClientInterceptor } from '../../../libs/temporal/personal-data-sealing';

/** One lazily opened Temporal client for the API process; personal free text it sends is sealed (see the interceptor). */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  private client?: Promise<Client>;

  constructor(
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  get(): Promise<Client> {
    this.client ??= Connection.connect({ address: this.config.temporal.address }).then(
      (connection) => new Client({
        connection, namespace: this.config.temporal.namespace, interceptors: { workflow: [sealingClientInterceptor(this.pool)] },
      }),
      (err: unknown) => {
        this.client = undefined; // let the next request try again
        throw err;
      },
    );
    return this.client;
  }

  get taskQueue(): string {
    return this.config.temporal.taskQueue;
  }

  async onApplicationShutdown(): Promise<void> {
    const client = await this.client?.catch(() => undefined);
    await client?.connection.close();
  }
}

@Global()
@Module({ providers: [TemporalClientProvider], exports: [TemporalClientProvider] })
export class TemporalModule {}
