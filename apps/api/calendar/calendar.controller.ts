import { Body, Controller, Get, HttpCode, Param, ParseIntPipe, Post, Res } from '@nestjs/common';
import type { Response } from 'express';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { z } from 'zod';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { calendarFeedInputSchema, calendarFeedSchema, createdCalendarFeedSchema } from '../../../libs/domain/calendar';
import { CurrentUser, Public } from '../auth/auth.decorators';
import { ApiError } from '../common/api-error';
import { ZodBody, ZodOk, ZodParam } from '../common/openapi';
import { RequestId } from '../common/request-id';
import { CalendarService } from './calendar.service';

const feedId = new ParseIntPipe({ exceptionFactory: () => ApiError.notFound('the calendar feed') });

@ApiTags('calendar')
@ApiBearerAuth()
@Controller('api')
export class CalendarFeedsController {
  constructor(private readonly calendar: CalendarService) {}

  @Post('calendar-feeds')
  @ApiOperation({ summary: "Create an iCalendar feed of a person's or an organisation's deadlines (admin, or a person for themselves); the secret URL is in this answer only" })
  @ZodBody(calendarFeedInputSchema)
  @ZodOk(createdCalendarFeedSchema, 201)
  create(@Body() body: unknown, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.calendar.create(body, user, requestId);
  }

  @Get('calendar-feeds')
  @ApiOperation({ summary: "Calendar feeds: an admin's all (a scoped admin's organisation and its people), a person's own" })
  @ZodOk(z.object({ items: z.array(calendarFeedSchema) }))
  list(@CurrentUser() user: TokenOwner) {
    return this.calendar.list(user);
  }

  @Post('calendar-feeds/:id/revoke')
  @HttpCode(200)
  @ApiOperation({ summary: 'Revoke a calendar feed: its URL answers 404 from now on (422 if already revoked)' })
  @ZodParam('id', z.int().min(1), 'the feed id')
  @ZodOk(calendarFeedSchema)
  revoke(@Param('id', feedId) id: number, @CurrentUser() user: TokenOwner, @RequestId() requestId: string) {
    return this.calendar.revoke(id, user, requestId);
  }
}

/** The feed itself: calendar clients cannot send a bearer token, so the unguessable secret in the URL is the key. */
@ApiTags('calendar')
@Controller('api')
export class CalendarPublicController {
  constructor(private readonly calendar: CalendarService) {}

  @Get('calendar/:secret.ics')
  @Public()
  @ApiOperation({ summary: 'The iCalendar (RFC 5545) feed behind a secret URL; no token; 404 when unknown or revoked' })
  @ZodParam('secret', z.string(), 'the secret of the feed, as in the URL its creation answered')
  @ApiProduces('text/calendar')
  @ApiOkResponse({ description: 'the calendar', content: { 'text/calendar': { schema: { type: 'string' } } } })
  async feed(@Param('secret') secret: string, @Res({ passthrough: true }) res: Response): Promise<string> {
    const ics = await this.calendar.ics(secret);
    // Set only on success: a refusal keeps the API's JSON error with its own content type.
    res.setHeader('content-type', 'text/calendar; charset=utf-8');
    res.setHeader('cache-control', 'private, max-age=300');
    return ics;
  }
}
