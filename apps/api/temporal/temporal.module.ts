import { Global, Inject, Injectable, Module, type OnApplicationShutdown } from '@nestjs/common';
import { Client, Connection } from '@temporalio/client';
import type { FuusioConfig } from '../../../libs/config/config';
import { FUUSIO_CONFIG } from '../../../libs/config/config.module';

/** One lazily opened Temporal client for the API process. */
@Injectable()
export class TemporalClientProvider implements OnApplicationShutdown {
  private client?: Promise<Client>;

  constructor(@Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig) {}

  get(): Promise<Client> {
    this.client ??= Connection.connect({ address: this.config.temporal.address }).then(
      (connection) => new Client({ connection, namespace: this.config.temporal.namespace }),
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
