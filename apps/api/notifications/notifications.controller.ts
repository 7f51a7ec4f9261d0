import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { RequestId } from '../common/request-id';
import { NotificationsService } from './notifications.service';

const messageId = new ParseIntPipe({ exceptionFactory: () => ApiError.notFound('the message') });

@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api')
export class NotificationsController {
  constructor(private readonly notifications: NotificationsService) {}

  @Get('workflows/:id/deliveries')
  @ApiOperation({ summary: 'The e-mails and webhook deliveries of a workflow: recipient, status (pending, sending, sent, failed, dead), attempts, last error' })
  async deliveries(@Param('id') id: string, @CurrentUser() user: TokenOwner) {
    return { items: await this.notifications.deliveries(id, user) };
  }

  @Get('notifications/dead-letters')
  @Roles('admin')
  @ApiOperation({ summary: 'Messages given up after their attempts (or in doubt after a sender stopped mid-send)' })
  async deadLetters() {
    return { items: await this.notifications.deadLetters() };
  }

  @Post('notifications/dead-letters/:id/retry')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Send a dead message again, with a fresh round of attempts' })
  retry(@Param('id', messageId) id: number, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.notifications.retry(id, user, requestId);
  }

  @Post('webhooks')
  @Roles('admin')
  @ApiOperation({ summary: 'Register a webhook for an organisation (https; plain http only to loopback); the secret is shown once' })
  @ApiBody({ schema: { type: 'object', required: ['organisation', 'url'], properties: { organisation: { type: 'string' }, url: { type: 'string' } } } })
  createWebhook(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.notifications.createWebhook(body, user, requestId);
  }
}
