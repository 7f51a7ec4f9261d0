import { Body, Controller, Get, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { AuditRepository } from '../../../libs/db/repositories/audit.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodBody, ZodOk, ZodQuery } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';
import { BundleService, bundleAnswer, bundleQuery } from './bundle.service';
import { CrosscheckService } from './crosscheck.service';
import { HistorySource, historyQuery } from './history-source';
import { childrenAnswer, RunsService, runsAnswer } from './runs.service';
import { ErasureService, erasureSchema } from './erasure.service';
import { ReplayService, replaySchema } from './replay.service';

const WORKFLOW_ID = { name: 'id', description: 'the workflow id; a child workflow (e.g. a consolidation\'s transfer) is read in its parent\'s scope' };

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api')
export class AuditController {
  private readonly audit = new AuditRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
    private readonly source: HistorySource,
    private readonly runs: RunsService,
    private readonly replays: ReplayService,
    private readonly crosschecks: CrosscheckService,
    private readonly erasures: ErasureService,
    private readonly bundles: BundleService,
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
  @ApiOperation({
    summary: 'The Temporal event history, as `temporal workflow show --output json` writes it: the latest run, or the run named; '
      + 'from the history archive once Temporal has deleted the run (a child workflow is read through its parent\'s scope)',
  })
  @ApiParam(WORKFLOW_ID)
  @ZodQuery(historyQuery)
  async history(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    const { runId } = parseBody(historyQuery, query);
    await this.workflows.readable(id, user);
    const run = await this.source.run(id, runId);
    return JSON.parse(historyToJSON(run.history)) as unknown;
  }

  @Get('workflows/:id/runs')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "The workflow's runs (continue-as-new makes several): status, and each closed run's archived history digest" })
  @ApiParam(WORKFLOW_ID)
  @ZodOk(runsAnswer)
  workflowRuns(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.runs.runs(id, user);
  }

  @Get('workflows/:id/children')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: 'The child workflows the workflow started (e.g. the per-party transfers of a consolidation), with their status' })
  @ApiParam(WORKFLOW_ID)
  @ZodOk(childrenAnswer)
  children(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.runs.children(id, user);
  }

  @Get('workflows/:id/audit')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "The workflow's audit events with their hashes" })
  @ApiParam(WORKFLOW_ID)
  async workflowAudit(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    await this.workflows.readable(id, user);
    return { items: await this.audit.forWorkflow(this.pool, id) };
  }

  @Get('workflows/:id/bundle')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: 'The audit bundle (fuusio-audit-bundle/1): chained events with inclusion proofs in the latest signed checkpoint, the public key '
      + 'and the runs\' protobuf histories, verifiable offline with tools/verify-bundle.cjs (docs/audit-bundle.md)',
  })
  @ApiParam(WORKFLOW_ID)
  @ZodQuery(bundleQuery)
  @ZodOk(bundleAnswer)
  bundle(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    return this.bundles.bundle(id, query, user);
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
