import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ZodQuery } from '../common/openapi';
import { StateService, stateDiffQuery, stateQuery } from './state.service';

@ApiTags('audit')
@ApiBearerAuth()
@Controller('api')
export class StateController {
  constructor(private readonly states: StateService) {}

  @Get('workflows/:id/state')
  @Roles('auditor', 'admin')
  @ApiOperation({ summary: "The workflow's business state (stage, steps, approvals, register rows) as it was at a time, from the audit trail" })
  @ApiParam({ name: 'id', description: 'the workflow id' })
  @ZodQuery(stateQuery)
  state(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    return this.states.stateAt(id, query, user);
  }

  @Get('workflows/:id/state/diff')
  @Roles('auditor', 'admin')
  @ApiOperation({
    summary: "What changed in the workflow's state between two times (or Helsinki dates), each change with the audit event and decision that made it",
  })
  @ApiParam({ name: 'id', description: 'the workflow id' })
  @ZodQuery(stateDiffQuery)
  diff(@Param('id') id: string, @Query() query: unknown, @CurrentUser() user: TokenOwner) {
    return this.states.diff(id, query, user);
  }
}
