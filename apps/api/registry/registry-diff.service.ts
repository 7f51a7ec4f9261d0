import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { HistoricalRecordRepository } from '../../../libs/db/repositories/historical-record.repository';
import { RegistryHistoryRepository } from '../../../libs/db/repositories/registry-history.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { attribute, involves, registryChanges } from '../../../libs/domain/registry-diff';
import { businessIdSchema, isoDateSchema } from '../../../libs/domain/schemas';
import { covers } from '../auth/scope.policy';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';

export const registryDiffQuery = z
  .object({
    from: isoDateSchema.describe('the earlier Helsinki date: the registry as it stood that day'),
    to: isoDateSchema.describe('the later Helsinki date'),
    organisation: businessIdSchema.optional().describe('only changes to rows that name this organisation'),
  })
  .refine((q) => q.from <= q.to, {
    path: ['from'],
    message: 'must not be after to',
    // Only once both are valid: a malformed date is reported as that alone.
    when: (payload) => payload.issues.length === 0,
  });

/** The registry between two days: what changed, by which workflow and decision. */
@Injectable()
export class RegistryDiffService {
  private readonly history = new RegistryHistoryRepository();
  private readonly records = new HistoricalRecordRepository();

  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /**
   * A token scoped to an organisation sees the changes that name it, like the workflows it takes part in;
   * asking for another organisation answers as an unknown one does.
   */
  async diff(query: unknown, user: TokenOwner) {
    const q = parseBody(registryDiffQuery, query);
    if (q.organisation && !covers(user, [q.organisation])) throw ApiError.notFound(`organisation ${q.organisation}`);
    const organisation = q.organisation ?? user.organisation ?? null;
    const [from, to, receivers, ended] = await Promise.all([
      this.history.stateOn(this.pool, q.from),
      this.history.stateOn(this.pool, q.to),
      this.history.receivers(this.pool),
      this.records.endedOrganisations(this.pool),
    ]);
    const changes = registryChanges(from, to, { receivers, ended }).filter((c) => organisation === null || involves(c, organisation));
    const workflowIds = [...new Set(changes.map((c) => c.workflowId).filter((id): id is string => id !== null))];
    const workflows = await this.history.workflows(this.pool, workflowIds);
    const visible = workflows.filter((w) => covers(user, w.organisations)).map(({ organisations: _o, ...w }) => w);
    // A workflow the token may not see is not named (its change still shows: the rows name the caller).
    const named = changes.map((c) => (visible.some((w) => w.workflowId === c.workflowId) ? c : { ...c, workflowId: null }));
    return { from: q.from, to: q.to, organisation, changes: attribute(named, visible) };
  }
}
