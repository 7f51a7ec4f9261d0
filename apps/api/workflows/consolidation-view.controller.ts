import { Controller, Get, Param } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser } from '../auth/auth.decorators';
import { ZodOk } from '../common/openapi';
import { consolidationAnswer } from './consolidation-answer';
import { ConsolidationViewService } from './consolidation-view.service';

@ApiTags('workflows')
@ApiBearerAuth()
@Controller('api')
export class ConsolidationViewController {
  constructor(private readonly views: ConsolidationViewService) {}

  @Get('workflows/:id/consolidation')
  @ApiOperation({ summary: "A consolidation's parties with their decision chains and transfers, the carve-outs and the base-funding shares before and after" })
  @ApiParam({ name: 'id', description: 'the consolidation workflow id, e.g. consolidation:uusimaa-2027' })
  @ZodOk(consolidationAnswer)
  view(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return this.views.view(id, user);
  }
}
