/**
 * The bare arm's activities: a plain object of functions, no Nest, no logging. The registry functions
 * are the onboarding activities themselves and `track` runs the same TrackingRepository SQL as the
 * Fuusio tracking activity (projection + audit event + pg_notify in one transaction), so every arm
 * issues the same statements and only the code around them differs.
 */
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { createOnboardingActivities } from '../../activities/registry/onboarding.activities';
import { withTransaction } from '../../libs/db/pool';
import { TrackingRepository } from '../../libs/db/repositories/tracking.repository';
import type { TrackRequest } from '../../libs/domain/progress';

export function createBareActivities(pool: Pool) {
  const { checkApplicant, reserveShares, registerShares, notifyShareholders } = createOnboardingActivities({ pool });
  return { checkApplicant, reserveShares, registerShares, notifyShareholders, track: createTrack(pool, () => Context.current().info.workflowExecution?.runId ?? null) };
}

export type BareActivities = ReturnType<typeof createBareActivities>;

/** The tracking write outside any framework; `runId` is null where there is no Temporal run (raw SQL, DBOS). */
export function createTrack(pool: Pool, runId: () => string | null) {
  const tracking = new TrackingRepository();
  return async (req: TrackRequest): Promise<{ written: boolean }> =>
    withTransaction(pool, async (tx) => {
      const result = await tracking.apply(tx, req, runId());
      if (result.written) await tx.query('SELECT pg_notify($1, $2)', ['fuusio_progress', req.run.workflowId]);
      return { written: result.written };
    });
}
