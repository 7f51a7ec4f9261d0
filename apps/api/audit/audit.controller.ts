import { Body, Controller, Get, HttpCode, Inject, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodBody } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { TemporalClientProvider } from '../temporal/temporal.module';
import { WorkflowsService } from '../workflows/workflows.service';
import { CrosscheckService } from './crosscheck.service';
import { ErasureService, erasureSchema } from './erasure.service';
import { ReplayService, replaySchema } from './replay.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api')
export class AuditController {
  private readonly audit = new AuditRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
    private readonly workflows: WorkflowsService,
    private readonly replays: ReplayService,
    private readonly crosschecks: CrosscheckService,
    private readonly erasures: ErasureService,
  ) {}

  @Post('audit/replay')
  @HttpCode(200)
  @Roles('auditor')
  @ApiOperation({ summary: 'Replay workflow histories (by ids or a list filter) against the current workflow code' })
  @ZodBody(replaySchema)
  replay(@Body() body: unknown, @CurrentUser() user: TokenOwner) {
    return this.replays.replay(body, user);
  }

  @Get('workflows/:id/history')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The Temporal event history, as `temporal workflow show --output json` writes it' })
  async history(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    await this.workflows.detail(id, user);
    const history = await (await this.temporal.get()).workflow.getHandle(id).fetchHistory();
    return JSON.parse(historyToJSON(history)) as unknown;
  }

  @Get('workflows/:id/audit')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "The workflow's audit events with their hashes" })
  async workflowAudit(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    await this.workflows.detail(id, user);
    return { items: await this.audit.forWorkflow(this.pool, id) };
  }

  @Get('workflows/:id/crosscheck')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'Every completed tracking activity in the Temporal history has its audit event, and every audit event its history event' })
  crosscheck(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.crosschecks.crosscheck(id, user);
  }

  @Post('audit/erasures')
  @Roles('admin')
  @ApiOperation({
    summary: "Erase personal data (comments, notes) a workflow's audit events hold, all of it or what one actor wrote; the chain still verifies",
  })
  @ZodBody(erasureSchema)
  erase(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.erasures.erase(body, user, requestId);
  }
}
