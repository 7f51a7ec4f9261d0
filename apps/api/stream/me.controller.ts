import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser } from '../auth/auth.decorators';

/** Who the token belongs to: the dashboard signs in with it and shows only what the role allows. */
@ApiTags('session')
@ApiBearerAuth()
@Controller('api')
export class MeController {
  @Get('me')
  @ApiOperation({ summary: "The token's name, role and organisation scope (null when it sees every organisation)" })
  me(@CurrentUser() user: TokenOwner) {
    return { name: user.name, role: user.role, organisation: user.organisation, person: user.personId ?? null };
  }
}
