import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { withTransaction } from '../../../libs/db/pool';
import { ProcessRepository, type RunDetail } from '../../../libs/db/repositories/process.repository';
import { TrackingRepository } from '../../../libs/db/repositories/tracking.repository';
import type { ProgressSnapshot, RunStatus } from '../../../libs/domain/progress';
import { TemporalClientProvider } from '../temporal/temporal.module';

/** Temporal's closed states the workflow itself cannot record (terminate) or may not have (older code). */
const ENDED_OUTSIDE: Record<string, { status: Exclude<RunStatus, 'running'>; what: string }> = {
  TERMINATED: { status: 'failed', what: 'terminated in Temporal' },
  FAILED: { status: 'failed', what: 'failed in Temporal' },
  TIMED_OUT: { status: 'failed', what: 'timed out in Temporal' },
  CANCELLED: { status: 'cancelled', what: 'cancelled in Temporal, not through Fuusio' },
};

const SWEEP_QUERY = 'FuusioStatus = "running" AND (ExecutionStatus = "Terminated" OR ExecutionStatus = "Failed" '
  + 'OR ExecutionStatus = "Canceled" OR ExecutionStatus = "TimedOut")';
const SWEEP_EVERY_MS = 60_000;
/** A list read sweeps at most this often; the timer sweeps in between. */
const SWEEP_ON_READ_MS = 5_000;

/**
 * Keeps the projection true when a run ends where its own code cannot write: a terminate from the
 * Temporal CLI or UI (the workflow gets no chance to run), or a run that failed before it recorded
 * why. Compares `running` rows with Temporal, at read time and on a timer, and records the end through
 * the same tracking write (projection + audit event, once per run) the workflows use.
 */
@Injectable()
export class RunReconciler implements OnModuleInit, OnModuleDestroy {
  private readonly log = new Logger('RunReconciler');
  private readonly processes = new ProcessRepository();
  private readonly tracking = new TrackingRepository();
  private timer?: NodeJS.Timeout;
  private lastSweep = 0;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
  ) {}

  onModuleInit(): void {
    this.timer = setInterval(() => void this.sweep().catch((e: unknown) => this.log.warn(`sweep failed: ${String(e)}`)), SWEEP_EVERY_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
  }

  /** Before a list is read: the runs Temporal has closed but the projection still shows running. */
  async sweepSoon(): Promise<void> {
    if (Date.now() - this.lastSweep < SWEEP_ON_READ_MS) return;
    await this.sweep().catch((e: unknown) => this.log.warn(`sweep failed: ${String(e)}`));
  }

  async sweep(): Promise<void> {
    this.lastSweep = Date.now();
    const client = await this.temporal.get();
    for await (const wf of client.workflow.list({ query: SWEEP_QUERY })) {
      const detail = await this.processes.detail(this.pool, wf.workflowId);
      if (detail?.status === 'running') await this.reconcile(detail);
    }
  }

  /** The detail as it is: a `running` row whose run Temporal has closed is recorded as ended first. */
  async reconcile(detail: RunDetail): Promise<RunDetail> {
    if (detail.status !== 'running') return detail;
    const handle = (await this.temporal.get()).workflow.getHandle(detail.workflowId);
    let described;
    try {
      described = await handle.describe();
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) return detail; // retention removed it; nothing to compare with
      throw e;
    }
    const ended = ENDED_OUTSIDE[described.status.name];
    if (!ended) return detail;
    const reason = await this.reasonOf(handle, ended.what);
    await withTransaction(this.pool, (tx) =>
      this.tracking.apply(tx, {
        key: `ended-in-temporal:${described.runId}`,
        action: `workflow.${ended.status}`,
        actor: 'system:temporal',
        run: endedSnapshot(detail, ended.status, reason),
        approvals: detail.approvals.filter((a) => a.status === 'pending').map((a) => ({ ...a, status: 'withdrawn' as const })),
        details: { reason, temporalStatus: described.status.name },
      }, described.runId),
    );
    this.log.warn(`${detail.workflowId}: ${reason}; recorded as ${ended.status}`);
    return (await this.processes.detail(this.pool, detail.workflowId)) ?? detail;
  }

  /** The reason the operator gave (a terminate's reason is in the last history event). */
  private async reasonOf(handle: { fetchHistory(): Promise<{ events?: unknown[] | null }> }, what: string): Promise<string> {
    const history = await handle.fetchHistory().catch(() => ({ events: [] }));
    const last = history.events?.[history.events.length - 1] as
      | { workflowExecutionTerminatedEventAttributes?: { reason?: string | null } | null }
      | undefined;
    const given = last?.workflowExecutionTerminatedEventAttributes?.reason;
    return given ? `${what}: ${given}` : what;
  }
}

function endedSnapshot(d: RunDetail, status: Exclude<RunStatus, 'running'>, reason: string): ProgressSnapshot {
  const now = new Date().toISOString();
  return {
    workflowId: d.workflowId, kind: d.kind, businessKey: d.businessKey, title: d.title, status, stage: d.stage,
    percent: d.percent, organisations: d.organisations, waitingFor: [], nextDeadline: null,
    stages: d.stages.map((s) => (s.status === 'running' ? { ...s, status: 'failed', finishedAt: now } : s)),
    startedAt: d.startedAt, result: d.result, failure: reason,
  };
}
