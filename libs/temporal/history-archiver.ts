import type { Client, WorkflowExecutionInfo } from '@temporalio/client';
import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { AuditRepository } from '../db/repositories/audit.repository';
import { HistoryArchiveRepository, type CloseStatus } from '../db/repositories/history-archive.repository';
import { encodeHistory } from './history-codec';

const CLOSE_STATUS: Partial<Record<WorkflowExecutionInfo['status']['name'], CloseStatus>> = {
  COMPLETED: 'completed',
  FAILED: 'failed',
  CANCELLED: 'cancelled',
  TERMINATED: 'terminated',
  TIMED_OUT: 'timed_out',
  CONTINUED_AS_NEW: 'continued_as_new',
};

/**
 * How far before the last complete pass a pass looks again: visibility is eventually consistent, so a
 * run that closed just before that pass may have appeared in the list only later.
 */
export const ARCHIVE_LOOK_BACK_MS = 24 * 60 * 60 * 1000;

/** The idempotency key of the audit event that records a run's archived history. */
export function archiveAuditKey(workflowId: string, runId: string): string {
  return `archive#${workflowId}#${runId}`;
}

export type ArchiveOptions = {
  client: Client;
  pool: Pool;
  /** At most this many runs are archived in one pass (the next pass goes on where this one stopped). */
  limit?: number;
  /** A further visibility filter, e.g. `TaskQueue = "…"`; progress is kept per filter. */
  filter?: string;
  /** Logs a run that could not be archived; the pass goes on with the others. */
  onError?: (run: { workflowId: string; runId: string }, err: unknown) => void;
};

export type ArchivePass = { archived: { workflowId: string; runId: string; sha256: string }[]; failed: number; more: boolean };

/**
 * One pass of the archiver: every closed run (completed, failed, cancelled, terminated, timed out or
 * continued as new; children too) that Temporal still lists and the archive does not hold yet gets its
 * full history stored and its SHA-256 written to the workflow's audit trail, in one transaction. Runs
 * already archived are skipped, so a pass after downtime catches up, and passes may overlap.
 */
export async function archiveClosedRuns(opts: ArchiveOptions): Promise<ArchivePass> {
  const limit = opts.limit ?? 100;
  const archive = new HistoryArchiveRepository();
  const audit = new AuditRepository();
  // Only a pass that got through every listed run moves the mark: the list is not in close order, so a
  // bounded or partly failed pass says nothing about the runs it did not reach.
  const scope = opts.filter ?? '';
  const startedAt = new Date();
  const since = await archive.completeUntil(opts.pool, scope);
  const clauses = ['ExecutionStatus != "Running"'];
  if (since) clauses.push(`CloseTime >= "${new Date(since.getTime() - ARCHIVE_LOOK_BACK_MS).toISOString()}"`);
  if (opts.filter) clauses.push(`(${opts.filter})`);
  const out: ArchivePass = { archived: [], failed: 0, more: false };
  let page: WorkflowExecutionInfo[] = [];

  const flush = async (): Promise<void> => {
    const done = await archive.archivedRunIds(opts.pool, page.map((p) => p.runId));
    for (const info of page) {
      if (done.has(info.runId)) continue;
      if (out.archived.length >= limit) {
        out.more = true;
        return;
      }
      try {
        const stored = await archiveRun(opts.client, opts.pool, info, archive, audit);
        if (stored) out.archived.push(stored);
      } catch (err) {
        out.failed += 1;
        opts.onError?.({ workflowId: info.workflowId, runId: info.runId }, err);
      }
    }
    page = [];
  };

  for await (const info of opts.client.workflow.list({ query: clauses.join(' AND '), pageSize: 100 })) {
    page.push(info);
    if (page.length >= 100) await flush();
    if (out.more) break;
  }
  if (!out.more) await flush();
  if (!out.more && out.failed === 0) await archive.markComplete(opts.pool, scope, startedAt);
  await archive.applyProjectRetention(opts.pool);
  return out;
}

async function archiveRun(
  client: Client, pool: Pool, info: WorkflowExecutionInfo, archive: HistoryArchiveRepository, audit: AuditRepository,
): Promise<ArchivePass['archived'][number] | null> {
  const closeStatus = CLOSE_STATUS[info.status.name];
  if (!closeStatus || !info.closeTime) return null; // still running after all (visibility lags)
  const history = await client.workflow.getHandle(info.workflowId, info.runId).fetchHistory();
  const encoded = encodeHistory(history);
  const parent = info.parentExecution ?? null;
  const stored = await withTransaction(pool, async (tx) => {
    const inserted = await archive.insert(tx, {
      workflowId: info.workflowId, runId: info.runId, workflowType: info.type,
      parentWorkflowId: parent?.workflowId ?? null, parentRunId: parent?.runId ?? null,
      closeStatus, startedAt: info.startTime, closedAt: info.closeTime ?? info.startTime,
      eventsCount: encoded.eventsCount, sha256: encoded.sha256, history: encoded.gzip,
    });
    if (!inserted) return false;
    await audit.append(tx, {
      idempotencyKey: archiveAuditKey(info.workflowId, info.runId),
      workflowId: info.workflowId,
      action: 'history.archived',
      actor: 'system:archiver',
      payload: {
        runId: info.runId, workflowType: info.type, closeStatus, eventsCount: encoded.eventsCount, sha256: encoded.sha256,
        ...(parent ? { parentWorkflowId: parent.workflowId } : {}),
      },
    });
    return true;
  });
  return stored ? { workflowId: info.workflowId, runId: info.runId, sha256: encoded.sha256 } : null;
}
