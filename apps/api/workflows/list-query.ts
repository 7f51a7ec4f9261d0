import { z } from 'zod';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { unstorableReason } from '../../../libs/domain/storable-text';
import { isoInstantSchema } from '../../../libs/domain/schemas';
import { HEALTH_LEVELS } from '../../../libs/domain/health';
import type { RunListFilter, RunListItem } from '../../../libs/db/repositories/process.repository';

/** The query of `GET /api/workflows` and `/counts` (also the `query` of a replay request). */
export const listQuerySchema = z.object({
  kind: z.string().max(50).optional(),
  status: z.enum(['running', 'completed', 'rejected', 'expired', 'cancelled', 'failed']).optional(),
  org: z.string().max(20).optional(),
  stage: z.string().max(50).optional(),
  waitingFor: z.string().max(200).optional(),
  overdue: z.enum(['true', 'false']).optional(),
  health: z.enum(HEALTH_LEVELS).optional(),
  q: z.string().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function encodeCursor(item: Pick<RunListItem, 'updatedAt' | 'workflowId'>): string {
  return Buffer.from(JSON.stringify([item.updatedAt, item.workflowId])).toString('base64url');
}

function decodeCursor(cursor: string): { updatedAt: string; workflowId: string } {
  try {
    const [updatedAt, workflowId] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, string];
    // The time must be one PostgreSQL reads as JavaScript does (Date.parse takes "2023", timestamptz does not).
    if (typeof updatedAt !== 'string' || typeof workflowId !== 'string' || !isoInstantSchema.safeParse(updatedAt).success) throw new Error();
    if (unstorableReason(workflowId) !== null) throw new Error();
    return { updatedAt, workflowId };
  } catch {
    throw ApiError.badRequest('cursor is not one this API handed out', [{ path: 'cursor', message: 'not a valid cursor' }]);
  }
}

/** The list filter the query asks for; the service adds the caller's scope and the clock's now. */
export type ListQuery = Omit<RunListFilter, 'scope' | 'now'>;

export function parseListQuery(query: unknown): ListQuery {
  const q = parseBody(listQuerySchema, query);
  return {
    kind: q.kind, status: q.status, org: q.org, stage: q.stage, waitingFor: q.waitingFor, q: q.q,
    overdue: q.overdue === 'true' ? true : undefined, health: q.health,
    cursor: q.cursor ? decodeCursor(q.cursor) : undefined,
    limit: q.limit,
  };
}
