import type { Pool } from 'pg';
import { withTransaction } from '../db/pool';
import { AuditRepository } from '../db/repositories/audit.repository';
import { HistoryArchiveRepository } from '../db/repositories/history-archive.repository';

/** The idempotency key of the audit event that records an archived history's erasure. */
export function archiveErasureAuditKey(workflowId: string, runId: string): string {
  return `archive-erased#${workflowId}#${runId}`;
}

/**
 * Erases the archived histories whose retention date (the process's, e.g. a project's retentionYears)
 * is before `today`. Each erasure is an audit event of the workflow naming the run and the SHA-256 the
 * history had, written in the same transaction as the delete; the audit trail itself stays.
 */
export async function eraseExpiredHistories(opts: { pool: Pool; today: string; limit?: number }): Promise<{ erased: { workflowId: string; runId: string }[] }> {
  const archive = new HistoryArchiveRepository();
  const audit = new AuditRepository();
  const erased: { workflowId: string; runId: string }[] = [];
  for (const run of await archive.expired(opts.pool, opts.today, opts.limit ?? 500)) {
    const done = await withTransaction(opts.pool, async (tx) => {
      if (!(await archive.delete(tx, run.workflowId, run.runId))) return false;
      await audit.append(tx, {
        idempotencyKey: archiveErasureAuditKey(run.workflowId, run.runId),
        workflowId: run.workflowId,
        action: 'history.erased',
        actor: 'system:archiver',
        payload: { runId: run.runId, sha256: run.sha256, retainUntil: run.retainUntil, reason: 'retention period ended' },
      });
      return true;
    });
    if (done) erased.push({ workflowId: run.workflowId, runId: run.runId });
  }
  return { erased };
}
