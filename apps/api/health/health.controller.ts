import { Controller, Get, Inject } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { Public } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { TemporalClientProvider } from '../temporal/temporal.module';

@ApiTags('health')
@Controller()
export class HealthController {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
  ) {}

  @Get('healthz')
  @Public()
  live() {
    return { ok: true };
  }

  @Get('readyz')
  @Public()
  async ready() {
    const checks = await Promise.allSettled([
      this.pool.query('SELECT 1'),
      this.temporal.get().then((c) => c.connection.workflowService.getSystemInfo({})),
    ]);
    const [postgres, temporal] = checks.map((c) => c.status === 'fulfilled');
    if (!postgres || !temporal) {
      throw new ApiError(503, 'not_ready', `not ready: postgres ${postgres ? 'ok' : 'down'}, temporal ${temporal ? 'ok' : 'down'}`);
    }
    return { ok: true, postgres: 'ok', temporal: 'ok' };
  }
}
