import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { ApiError } from '../common/api-error';
import { RequestId } from '../common/request-id';
import { CurrentUser, Roles } from './auth.decorators';
import { TokensService } from './tokens.service';

const tokenId = new ParseIntPipe({ exceptionFactory: () => ApiError.notFound('the token') });

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api')
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post('tokens')
  @ApiOperation({ summary: 'Create a token (shown once in the answer; only its hash is stored), optionally scoped and with expiresAt' })
  @ApiBody({
    schema: {
      type: 'object',
      required: ['name', 'role'],
      properties: {
        name: { type: 'string' }, role: { type: 'string', enum: ['admin', 'manager', 'auditor', 'integration'] },
        organisation: { type: 'string', nullable: true }, expiresAt: { type: 'string', format: 'date-time' },
      },
    },
  })
  create(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.tokens.create(body, user, requestId);
  }

  @Get('tokens')
  @ApiOperation({ summary: 'Tokens with their role, scope, creation, expiry and revocation; never a secret or hash' })
  async list(@CurrentUser() user: TokenOwner) {
    return { items: await this.tokens.list(user) };
  }

  @Post('tokens/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a token, with an optional reason; it is refused (401) from then on' })
  @ApiBody({ schema: { type: 'object', properties: { reason: { type: 'string' } } } })
  revoke(@Param('id', tokenId) id: number, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.tokens.revoke(id, body, user, requestId);
  }
}
