import { Inject, Injectable } from '@nestjs/common';
import { createHash, randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { FuusioConfig } from '../../../libs/config/config';
import { FUUSIO_CONFIG } from '../../../libs/config/config.module';
import { renderCalendar } from '../../../libs/calendar/ics';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { appendApiEvent } from '../../../libs/db/repositories/api-audit';
import { CalendarRepository } from '../../../libs/db/repositories/calendar.repository';
import { PeopleRepository } from '../../../libs/db/repositories/people.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import { tokenActor, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import { calendarEvents, calendarFeedInputSchema, feedSecretSchema, helsinkiDate, type CalendarFeed } from '../../../libs/domain/calendar';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { Clock } from '../people/clock';

/** Only the SHA-256 of a feed's secret is stored: a leaked database does not leak the feeds. */
export function hashFeedSecret(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/**
 * Calendar feeds of a person or an organisation. Admins manage every feed (a scoped admin: its
 * organisation's and those of people holding a role there); a person's own token manages that person's feeds.
 */
@Injectable()
export class CalendarService {
  private readonly feeds = new CalendarRepository();
  private readonly people = new PeopleRepository();
  private readonly registry = new RegistryRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(FUUSIO_CONFIG) private readonly config: FuusioConfig,
    private readonly clock: Clock,
  ) {}

  async create(body: unknown, user: TokenOwner, requestId: string): Promise<CalendarFeed & { secret: string; url: string }> {
    const input = parseBody(calendarFeedInputSchema, body);
    if (user.role !== 'admin' && (!user.personId || input.person !== user.personId)) {
      throw ApiError.forbidden('only an admin, or a person for their own feed, may create a calendar feed');
    }
    if (input.person && !(await this.people.find(this.pool, input.person))) {
      throw ApiError.unprocessable('unknown_person', `there is no person ${input.person}`, [{ path: 'person', message: 'no such person' }]);
    }
    if (input.organisation && !(await this.registry.organisation(this.pool, input.organisation))) {
      throw ApiError.unprocessable('unknown_organisation', `organisation ${input.organisation} is not in the registry`, [
        { path: 'organisation', message: 'not in the registry' },
      ]);
    }
    if (user.role === 'admin' && user.organisation && !(await this.adminReaches(user.organisation, input))) {
      throw ApiError.forbidden(`a token scoped to ${user.organisation} manages only feeds of that organisation and its people`);
    }
    const secret = randomBytes(32).toString('base64url');
    return withTransaction(this.pool, async (tx) => {
      const feed = await this.feeds.create(tx, {
        secretHash: hashFeedSecret(secret), person: input.person ?? null, organisation: input.organisation ?? null,
        label: input.label ?? null, createdBy: tokenActor(user),
      });
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'api.calendar-feed.created', actor: tokenActor(user),
        payload: { feedId: feed.id, personId: feed.person, organisation: feed.organisation },
      });
      return { ...feed, secret, url: `${this.config.notify.publicUrl.replace(/\/+$/, '')}/api/calendar/${secret}.ics` };
    });
  }

  async list(user: TokenOwner): Promise<{ items: CalendarFeed[] }> {
    if (user.role === 'admin') return { items: await this.feeds.list(this.pool, { organisation: user.organisation }) };
    if (!user.personId) return { items: [] };
    return { items: await this.feeds.list(this.pool, { person: user.personId }) };
  }

  /** A revoked feed's URL answers 404 from now on; revoking twice is refused (422), writing nothing. */
  async revoke(id: number, user: TokenOwner, requestId: string): Promise<CalendarFeed> {
    return withTransaction(this.pool, async (tx) => {
      const feed = Number.isSafeInteger(id) ? await this.feeds.find(tx, id) : null;
      if (!feed || !(await this.mayManage(user, feed))) throw ApiError.notFound(`calendar feed ${id}`);
      const revoked = await this.feeds.revoke(tx, id, tokenActor(user));
      if (!revoked) {
        throw ApiError.unprocessable('feed_revoked', `calendar feed ${id} was revoked at ${feed.revokedAt}`, [{ path: 'id', message: 'already revoked' }]);
      }
      await appendApiEvent(tx, {
        requestId, workflowId: null, action: 'api.calendar-feed.revoked', actor: tokenActor(user),
        payload: { feedId: id, personId: feed.person, organisation: feed.organisation },
      });
      return revoked;
    });
  }

  /** The feed's calendar; an unknown, malformed or revoked secret is 404 alike. */
  async ics(secret: string): Promise<string> {
    if (!feedSecretSchema.safeParse(secret).success) throw ApiError.notFound('the calendar');
    const feed = await this.feeds.bySecretHash(this.pool, hashFeedSecret(secret));
    if (!feed) throw ApiError.notFound('the calendar');
    const owner = { person: feed.person, organisation: feed.organisation };
    const items = await this.feeds.items(this.pool, owner, helsinkiDate(this.clock.now()));
    const name = `Fuusio: ${feed.label ?? feed.person ?? feed.organisation}`;
    return renderCalendar(name, calendarEvents(items), this.config.notify.publicUrl);
  }

  private async mayManage(user: TokenOwner, feed: CalendarFeed): Promise<boolean> {
    if (user.role === 'admin') return !user.organisation || this.adminReaches(user.organisation, feed);
    return !!user.personId && feed.person === user.personId;
  }

  private async adminReaches(scope: string, f: { person?: string | null; organisation?: string | null }): Promise<boolean> {
    if (f.organisation) return f.organisation === scope;
    return !!f.person && this.feeds.personInOrganisation(this.pool, f.person, scope);
  }
}
