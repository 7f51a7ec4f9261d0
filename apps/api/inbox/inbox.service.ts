import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { InboxRepository, type InboxCursor } from '../../../libs/db/repositories/inbox.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { EXPECTED_EVENTS, GATE_BODIES, type InboxItem } from '../../../libs/domain/inbox';
import { helsinkiDate, helsinkiDayStart } from '../../../libs/domain/helsinki-time';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { Clock } from '../people/clock';

const inboxQuerySchema = z.object({
  kind: z.string().max(50).optional(),
  type: z.enum(['decision', 'event', 'task']).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export type InboxPage = { person: string | null; items: InboxItem[]; nextCursor: string | null };

function encodeCursor(c: InboxCursor): string {
  return Buffer.from(JSON.stringify([c.rank, c.due, c.workflowId, c.key])).toString('base64url');
}

function decodeCursor(cursor: string): InboxCursor {
  try {
    const [rank, due, workflowId, key] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof rank !== 'number' || typeof due !== 'string' || typeof workflowId !== 'string' || typeof key !== 'string') throw new Error();
    if (due !== 'infinity' && Number.isNaN(Date.parse(due))) throw new Error();
    return { rank, due, workflowId, key };
  } catch {
    throw ApiError.badRequest('cursor is not one this API handed out', [{ path: 'cursor', message: 'not a valid cursor' }]);
  }
}

/** "What waits for me": the caller's person's open items across all workflows, overdue first, then by due time. */
@Injectable()
export class InboxService {
  private readonly inbox = new InboxRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool, private readonly clock: Clock) {}

  async list(query: unknown, user: TokenOwner): Promise<InboxPage> {
    const q = parseBody(inboxQuerySchema, query);
    // A token of no person (an integration, a shared demo token) has nothing waiting for it.
    if (!user.personId) return { person: null, items: [], nextCursor: null };
    const now = this.clock.now();
    const rows = await this.inbox.list(this.pool, {
      personId: user.personId, today: helsinkiDate(now), scope: user.organisation,
      // Overdue turns at Helsinki midnight after the due day, as the dashboard shows it.
      overdueBefore: helsinkiDayStart(now).toISOString(),
      kind: q.kind, type: q.type, overdue: q.overdue === 'true' ? true : undefined,
      cursor: q.cursor ? decodeCursor(q.cursor) : undefined, limit: q.limit,
    }, EXPECTED_EVENTS, GATE_BODIES);
    const last = rows[rows.length - 1];
    return {
      person: user.personId,
      items: rows.map(({ cursor: _cursor, ...item }) => item),
      nextCursor: rows.length === q.limit && last ? encodeCursor(last.cursor) : null,
    };
  }
}
