import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { CurrentUser, Roles } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ZodBody, ZodOk, ZodParam } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { createdWebhookSchema, webhookInputSchema, webhookViewSchema } from '../../../libs/domain/notifications';
import { NotificationsService } from './notifications.service';

const webhookId = new ParseIntPipe({ exceptionFactory: () => ApiError.notFound('the webhook') });
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
  @ZodBody(webhookInputSchema)
  @ZodOk(createdWebhookSchema, 201)
  createWebhook(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.notifications.createWebhook(body, user, requestId);
  }

  @Get('webhooks')
  @Roles('admin')
  @ApiOperation({ summary: "Registered webhooks (a scoped admin's organisation's), active or not; never their secrets" })
  @ZodOk(z.object({ items: z.array(webhookViewSchema) }))
  webhooks(@CurrentUser() user: TokenOwner) {
    return this.notifications.webhooks(user);
  }

  @Post('webhooks/:id/deactivate')
  @HttpCode(200)
  @Roles('admin')
  @ApiOperation({ summary: 'Switch a webhook off: nothing more is sent to it (422 if it is off already)' })
  @ZodParam('id', z.int().min(1), 'the webhook id')
  @ZodOk(webhookViewSchema)
  deactivateWebhook(@Param('id', webhookId) id: number, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.notifications.deactivateWebhook(id, user, requestId);
  }
}
