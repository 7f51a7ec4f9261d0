import { CancellationScope, isCancellation, patched, TemporalFailure } from '@temporalio/workflow';
import { activeProgress } from './progress';

/**
 * Runs without this patch never recorded why they ended outside their own flow: a failed activity or
 * a cancel from the Temporal CLI/UI left the projection "running" for ever. Replays of such histories
 * take the old path (patched() is false there) and end exactly as recorded.
 */
const RECORD_UNPLANNED_END = 'record-unplanned-end';

/** The innermost message of a failure chain: an activity failure's own reason rather than "Activity task failed". */
export function rootMessage(e: unknown): string {
  let cur: unknown = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  return cur instanceof Error ? cur.message : String(cur);
}

/**
 * Wraps a workflow so that however it ends, the projection says so: an activity that failed for good
 * (non-retryable, or out of attempts) ends the run `failed` with the reason in the detail and the list;
 * a cancel sent to Temporal directly (CLI, UI) ends it `cancelled`, written in a non-cancellable scope
 * because the workflow's own scope is already cancelled. The error is rethrown, so Temporal too shows
 * the run as failed or cancelled. Continue-as-new and workflow-task errors (bugs) are not failures of
 * the run and pass through untouched.
 */
export function recordingUnplannedEnd<A extends unknown[], R>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
  return async (...args: A): Promise<R> => {
    try {
      return await run(...args);
    } catch (err) {
      const progress = activeProgress();
      if (!(err instanceof TemporalFailure) || !progress || progress.isRecordedFinal || !patched(RECORD_UNPLANNED_END)) throw err;
      if (isCancellation(err)) {
        await CancellationScope.nonCancellable(() =>
          progress.finish('cancelled', { reason: 'cancelled in Temporal, not through Fuusio', actor: 'system:temporal' }),
        );
      } else {
        await progress.finish('failed', { reason: rootMessage(err) });
      }
      throw err;
    }
  };
}
