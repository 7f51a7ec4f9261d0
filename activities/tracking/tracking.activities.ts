import { Context, log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { TrackRequest } from '../../libs/domain/progress';
import { withTransaction } from '../../libs/db/pool';
import { TrackingRepository } from '../../libs/db/repositories/tracking.repository';

export type TrackingDeps = { pool: Pool; notify?: (workflowId: string) => void };

export function createTrackingActivities({ pool }: TrackingDeps) {
  const tracking = new TrackingRepository();
  return {
    /** Projection and audit event in one transaction; the same key retried writes nothing twice. */
    async track(req: TrackRequest): Promise<{ written: boolean; seq?: number }> {
      const runId = currentRunId();
      return withTransaction(pool, async (tx) => {
        const result = await tracking.apply(tx, req, runId);
        // Listeners (the API's live stream) learn of the change when the transaction commits.
        if (result.written) await tx.query('SELECT pg_notify($1, $2)', ['fuusio_progress', req.run.workflowId]);
        logTracked(req, result.written);
        return result;
      });
    },
  };
}

function currentRunId(): string | null {
  try {
    return Context.current().info.workflowExecution?.runId ?? null;
  } catch {
    return null; // called outside an activity, e.g. from a test
  }
}

function logTracked(req: TrackRequest, written: boolean): void {
  const fields = { action: req.action, stage: req.run.stage, status: req.run.status, key: req.key };
  try {
    // Inside an activity the SDK adds workflowId, activityId and attempt to the line.
    if (written) log.info('tracked', fields);
    else log.info('tracked before: nothing written', fields);
  } catch {
    // called outside an activity (unit tests): no activity logger to use
  }
}
