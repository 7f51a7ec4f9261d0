import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { cancelSchema, decisionSchema, routedEventSchema, workflowEventSchema } from '../../../libs/domain/schemas';
import { LAUNCH_KINDS } from '../../../libs/domain/launch-kinds';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { RequestId } from '../common/request-id';
import { ZodBody, ZodOk, ZodQuery } from '../common/openapi';
import { parseBody } from '../common/zod-body';
import { encodeCursor, listQuerySchema, parseListQuery } from './list-query';
import { eventAnswer, launchAnswer, runCountsAnswer, runDetailAnswer, runListAnswer } from './run-answers';
import { WorkflowsService } from './workflows.service';

const WORKFLOW_ID = { name: 'id', description: 'the workflow id (its business key), e.g. onboarding:9100060-3:9500010-9' };

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post('workflows/:kind')
  @Roles('admin')
  @ApiOperation({ summary: 'Launch a workflow of a kind (onboarding, shareholding-merger); 409 if its business key exists' })
  @ApiParam({ name: 'kind', enum: Object.keys(LAUNCH_KINDS) })
  @ZodOk(launchAnswer, 201)
  launch(@Param('kind') kind: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.launch(kind, body, user, requestId);
  }

  @Get('workflows')
  @ApiOperation({ summary: 'List workflows with filters (health=red|amber|green among them) and keyset paging; each with its health and reason' })
  @ZodQuery(listQuerySchema)
  @ZodOk(runListAnswer)
  async list(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    const filter = parseListQuery(query);
    const items = await this.workflows.list(filter, user);
    const last = items[items.length - 1];
    return {
      items: items.map(({ organisations: _orgs, ...item }) => item),
      nextCursor: items.length === filter.limit && last ? encodeCursor(last) : null,
    };
  }

  // Declared before workflows/:id, which would otherwise take "counts" for an id.
  @Get('workflows/counts')
  @ApiOperation({ summary: 'How many workflows match the list filters, in all and by kind, status and health' })
  @ZodQuery(listQuerySchema)
  @ZodOk(runCountsAnswer)
  counts(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    return this.workflows.counts(parseListQuery(query), user);
  }

  @Get('workflows/:id')
  @ApiOperation({ summary: 'A workflow with its stages, steps and pending approvals' })
  @ApiParam(WORKFLOW_ID)
  @ZodOk(runDetailAnswer)
  async detail(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.workflows.present(await this.workflows.detail(id, user));
  }

  @Post('workflows/:id/decisions')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Decide an approval: approve or reject, with comment and reference' })
  @ApiParam(WORKFLOW_ID)
  @ZodBody(decisionSchema)
  @ZodOk(runDetailAnswer)
  async decide(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.present(await this.workflows.decide(id, body, user, requestId));
  }

  @Post('workflows/:id/events')
  @HttpCode(202)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'A business event for this workflow, e.g. subscription.signed or payment.received' })
  @ApiParam(WORKFLOW_ID)
  @ZodBody(workflowEventSchema)
  @ZodOk(eventAnswer, 202)
  event(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.event(id, body, user, requestId);
  }

  @Post('workflows/:id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Cancel with a reason; what the workflow reserved is released' })
  @ApiParam(WORKFLOW_ID)
  @ZodBody(cancelSchema)
  @ZodOk(runDetailAnswer)
  async cancel(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.present(await this.workflows.cancel(id, body, user, requestId));
  }

  @Post('events')
  @HttpCode(202)
  @Roles('admin', 'integration')
  @ApiOperation({ summary: 'An event from another system, routed by business key; unmatched events are stored' })
  @ZodBody(routedEventSchema)
  @ZodOk(eventAnswer, 202)
  routed(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.routedEvent(parseBody(routedEventSchema, body), user, requestId);
  }
}

