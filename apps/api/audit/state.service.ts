import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { AuditRepository, restoredPayload } from '../../../libs/db/repositories/audit.repository';
import { ConsolidationRepository } from '../../../libs/db/repositories/consolidation.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { isoDateSchema, isoInstantSchema } from '../../../libs/domain/schemas';
import { foldTracked, type TrackedPayload } from '../../../libs/domain/projection';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';

export const stateQuery = z.object({
  at: z.union([isoInstantSchema, isoDateSchema], {
    message: 'must be a time with zone (2023-01-01T12:00:00+02:00) or a date, between the years 1900 and 9999',
  }).optional(),
});

/** A workflow's business state as it was at a moment, rebuilt from its audit trail alone. */
@Injectable()
export class StateService {
  private readonly audit = new AuditRepository();
  private readonly registry = new RegistryRepository();
  private readonly consolidations = new ConsolidationRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
  ) {}

  async stateAt(workflowId: string, query: unknown, user: TokenOwner) {
    const raw = parseBody(stateQuery, query).at;
    await this.workflows.readable(workflowId, user);
    // A bare date means the end of that day (UTC).
    const at = raw ? new Date(raw.length === 10 ? `${raw}T23:59:59.999Z` : raw) : new Date();
    const events = await this.audit.forWorkflowUntil(this.pool, workflowId, at);
    const state = foldTracked(events.map((e) => restoredPayload(e) as TrackedPayload));
    if (!state.run) {
      throw ApiError.notFound(`state of workflow ${workflowId} at ${at.toISOString()} (it had not started by then)`);
    }
    const day = at.toISOString().slice(0, 10);
    const registryRows = await this.registry.rowsWrittenBy(this.pool, workflowId, at);
    const transfers = state.run.kind === 'consolidation' ? await this.consolidations.transfersAt(this.pool, workflowId, at) : undefined;
    return {
      at: at.toISOString(),
      asOfSeq: events[events.length - 1]?.seq ?? null,
      ...state.run,
      steps: state.steps,
      approvals: state.approvals,
      pendingApprovals: state.approvals.filter((a) => a.status === 'pending'),
      registry: registryRows.map((r) => ({ ...r, inForce: r.disposedOn === null || r.disposedOn > day })),
      ...(transfers ? { transfers } : {}),
    };
  }
}
