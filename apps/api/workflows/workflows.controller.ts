import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { routedEventSchema } from '../../../libs/domain/schemas';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { withPendingApprovals } from '../../../libs/domain/run-views';
import { RequestId } from '../common/request-id';
import { parseBody } from '../common/zod-body';
import { encodeCursor, parseListQuery } from './list-query';
import { WorkflowsService } from './workflows.service';

const JSON_BODY = { schema: { type: 'object', additionalProperties: true } };

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api')
export class WorkflowsController {
  constructor(private readonly workflows: WorkflowsService) {}

  @Post('workflows/:kind')
  @Roles('admin')
  @ApiOperation({ summary: 'Launch a workflow of a kind (onboarding, shareholding-merger); 409 if its business key exists' })
  @ApiBody(JSON_BODY)
  launch(@Param('kind') kind: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.launch(kind, body, user, requestId);
  }

  @Get('workflows')
  @ApiOperation({ summary: 'List workflows with filters and keyset paging' })
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
  @ApiOperation({ summary: 'How many workflows match the list filters, in all and by kind and status' })
  counts(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    return this.workflows.counts(parseListQuery(query), user);
  }

  @Get('workflows/:id')
  @ApiOperation({ summary: 'A workflow with its stages, steps and pending approvals' })
  async detail(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return present(await this.workflows.detail(id, user));
  }

  @Post('workflows/:id/decisions')
  @HttpCode(200)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'Decide an approval: approve or reject, with comment and reference' })
  @ApiBody(JSON_BODY)
  async decide(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return present(await this.workflows.decide(id, body, user, requestId));
  }

  @Post('workflows/:id/events')
  @HttpCode(202)
  @Roles('admin', 'manager')
  @ApiOperation({ summary: 'A business event for this workflow, e.g. subscription.signed or payment.received' })
  @ApiBody(JSON_BODY)
  event(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.event(id, body, user, requestId);
  }

  @Post('workflows/:id/cancel')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Cancel with a reason; what the workflow reserved is released' })
  @ApiBody(JSON_BODY)
  async cancel(@Param('id') id: string, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return present(await this.workflows.cancel(id, body, user, requestId));
  }

  @Post('events')
  @HttpCode(202)
  @Roles('admin', 'integration')
  @ApiOperation({ summary: 'An event from another system, routed by business key; unmatched events are stored' })
  @ApiBody(JSON_BODY)
  routed(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.workflows.routedEvent(parseBody(routedEventSchema, body), user, requestId);
  }
}

const present = withPendingApprovals;
