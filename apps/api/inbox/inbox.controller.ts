import { Controller, Get, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser } from '../auth/auth.decorators';
import { InboxService } from './inbox.service';

@ApiTags('inbox')
@ApiBearerAuth()
@Controller('api')
export class InboxController {
  constructor(private readonly inbox: InboxService) {}

  @Get('inbox')
  @ApiOperation({ summary: "What waits for the token's person: decisions, expected events and tasks; overdue first, keyset paging (?kind=&type=&overdue=&limit=&cursor=)" })
  list(@Query() query: Record<string, unknown>, @CurrentUser() user: TokenOwner) {
    return this.inbox.list(query, user);
  }
}
