import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { AuditRepository, restoredPayload, type AuditEventRow } from '../../../libs/db/repositories/audit.repository';
import { ConsolidationRepository } from '../../../libs/db/repositories/consolidation.repository';
import { HistoricalRecordRepository } from '../../../libs/db/repositories/historical-record.repository';
import { RegistryRepository } from '../../../libs/db/repositories/registry.repository';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { helsinkiDate, helsinkiDayEndMs } from '../../../libs/domain/helsinki-time';
import { isoDateSchema, isoInstantSchema, MAX_YEAR } from '../../../libs/domain/schemas';
import { foldTracked, type TrackedPayload } from '../../../libs/domain/projection';
import { workflowChanges, type WorkflowStateView } from '../../../libs/domain/workflow-state-diff';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { WorkflowsService } from '../workflows/workflows.service';

const momentSchema = z.union([isoInstantSchema, isoDateSchema], {
  message: 'must be a time with zone (2023-01-01T12:00:00+02:00) or a date, between the years 1900 and 9999',
});

export const stateQuery = z.object({ at: momentSchema.optional() });

/**
 * The moment a query names. A bare date means the end of that Helsinki day: an effective date takes
 * effect at Helsinki midnight, so `at=2022-12-31` is the last moment before a change effective 2023-01-01.
 */
export function momentOf(raw: string): Date {
  if (raw.length !== 10) return new Date(Date.parse(raw));
  // The last day there is (9999-12-31) has no next day to end at: it ends at its UTC midnight.
  return new Date(raw >= LAST_DAY ? Date.parse(`${raw}T23:59:59.999Z`) : helsinkiDayEndMs(raw) - 1);
}

const LAST_DAY = `${MAX_YEAR}-12-31`;

export const stateDiffQuery = z
  .object({
    from: momentSchema.describe('the earlier time (or date: the end of that Helsinki day)'),
    to: momentSchema.optional().describe('the later time (or date); without it, now'),
  })
  .refine((q) => q.to === undefined || momentOf(q.from) <= momentOf(q.to), {
    path: ['from'],
    message: 'must not be after to',
    // Only once both are valid: a malformed date is reported as that alone.
    when: (payload) => payload.issues.length === 0,
  });

/** A workflow's business state as it was at a moment, rebuilt from its audit trail alone. */
@Injectable()
export class StateService {
  private readonly audit = new AuditRepository();
  private readonly registry = new RegistryRepository();
  private readonly consolidations = new ConsolidationRepository();
  private readonly historical = new HistoricalRecordRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
  ) {}

  async stateAt(workflowId: string, query: unknown, user: TokenOwner) {
    const raw = parseBody(stateQuery, query).at;
    await this.workflows.readable(workflowId, user);
    const at = raw ? momentOf(raw) : new Date();
    const { state } = await this.snapshot(workflowId, at);
    if (!state) throw notStartedBy(workflowId, at);
    return state;
  }

  /**
   * What changed in the workflow's state between two moments, each change with the audit event (and the
   * decision) that made it. 404 when it had not started by the later one; before its start it had no state.
   */
  async diff(workflowId: string, query: unknown, user: TokenOwner) {
    const q = parseBody(stateDiffQuery, query);
    await this.workflows.readable(workflowId, user);
    const from = momentOf(q.from);
    const to = q.to ? momentOf(q.to) : new Date();
    if (from > to) throw ApiError.badRequest('from: must not be after now', [{ path: 'from', message: 'must not be after now' }]);
    const [earlier, later] = [await this.snapshot(workflowId, from), await this.snapshot(workflowId, to)];
    if (!later.state) throw notStartedBy(workflowId, to);
    const causes = later.events.map((e) => ({
      seq: e.seq, action: e.action, actor: e.actor, occurredAt: e.occurredAt, payload: restoredPayload(e) as TrackedPayload,
    }));
    const fromSeq = earlier.events[earlier.events.length - 1]?.seq ?? 0;
    const changes = workflowChanges(
      earlier.state as WorkflowStateView | null,
      later.state as WorkflowStateView,
      causes.filter((e) => e.seq <= fromSeq),
      causes.filter((e) => e.seq > fromSeq),
    );
    return {
      workflowId,
      from: from.toISOString(),
      to: to.toISOString(),
      fromSeq: earlier.events.length > 0 ? fromSeq : null,
      toSeq: later.state.asOfSeq,
      startedBy: earlier.state !== null,
      ...(later.state.imported ? { imported: true } : {}),
      changes,
    };
  }

  /** The audit events written by `at` and the state they make (null when the workflow had not started by then). */
  async snapshot(workflowId: string, at: Date) {
    const events = await this.audit.forWorkflowUntil(this.pool, workflowId, at);
    return { events, state: await this.stateFrom(workflowId, at, events) };
  }

  private async stateFrom(workflowId: string, at: Date, events: AuditEventRow[]) {
    const folded = foldTracked(events.map((e) => restoredPayload(e) as TrackedPayload));
    if (!folded.run) return null;
    const day = helsinkiDate(at);
    const registryRows = await this.registry.rowsWrittenBy(this.pool, workflowId, at);
    const transfers = folded.run.kind === 'consolidation' ? await this.consolidations.transfersAt(this.pool, workflowId, at) : undefined;
    const record = await this.historical.forWorkflow(this.pool, workflowId);
    return {
      at: at.toISOString(),
      asOfSeq: events[events.length - 1]?.seq ?? null,
      ...folded.run,
      steps: folded.steps,
      approvals: folded.approvals,
      pendingApprovals: folded.approvals.filter((a) => a.status === 'pending'),
      registry: registryRows.map((r) => ({ ...r, inForce: r.disposedOn === null || r.disposedOn > day })),
      ...(transfers ? { transfers } : {}),
      // A process recorded from before Fuusio: its registry changes count from its effective date.
      ...(record
        ? { imported: true, source: record.source, effectiveDate: record.effectiveDate, changesInEffect: day >= record.effectiveDate ? record.changes : [] }
        : {}),
    };
  }
}

export function notStartedBy(workflowId: string, at: Date): ApiError {
  return ApiError.notFound(`state of workflow ${workflowId} at ${at.toISOString()} (it had not started by then)`);
}
