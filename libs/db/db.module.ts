import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../config/config';
import { FUUSIO_CONFIG } from '../config/config.module';
import { createPool } from './pool';

export const PG_POOL = Symbol('PG_POOL');

/** One pg pool per process, shared by the API and the worker through the same provider. */
@Global()
@Module({
  providers: [{ provide: PG_POOL, inject: [FUUSIO_CONFIG], useFactory: (c: FuusioConfig) => createPool(c.databaseUrl, c.dbPoolSize) }],
  exports: [PG_POOL],
})
export class DbModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
