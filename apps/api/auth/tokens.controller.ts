import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { ApiError } from '../common/api-error';
import { ZodBody } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { CurrentUser, Roles } from './auth.decorators';
import { creationSchema, revocationSchema, TokensService } from './tokens.service';

const tokenId = new ParseIntPipe({ exceptionFactory: () => ApiError.notFound('the token') });

@ApiTags('tokens')
@ApiBearerAuth()
@Controller('api')
@Roles('admin')
export class TokensController {
  constructor(private readonly tokens: TokensService) {}

  @Post('tokens')
  @ApiOperation({ summary: 'Create a token (shown once in the answer; only its hash is stored), optionally scoped and with expiresAt' })
  @ZodBody(creationSchema)
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
  @ApiParam({ name: 'id', schema: { type: 'integer', minimum: 1, maximum: 2147483647 } })
  @ZodBody(revocationSchema)
  revoke(@Param('id', tokenId) id: number, @Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.tokens.revoke(id, body, user, requestId);
  }
}
