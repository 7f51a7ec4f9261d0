import type { ActivityOptions } from '@temporalio/workflow';

/**
 * Registry activities: one database transaction each, retried with backoff, but not for ever: after
 * the last attempt (about a quarter of an hour) the failure reaches the workflow, which records the run
 * `failed` with the reason (kit/failure.ts) instead of retrying a write the database will always refuse.
 * A non-retryable failure reaches it at once.
 */
export const REGISTRY_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', maximumAttempts: 20 },
};

/**
 * Set-based batches (up to a few thousand rows in one transaction): they heartbeat, so a worker that dies
 * in the middle of one is noticed within the heartbeat timeout and the batch retried on another, rather
 * than after the start-to-close timeout.
 */
export const BATCH_ACTIVITY_OPTIONS: ActivityOptions = {
  ...REGISTRY_ACTIVITY_OPTIONS,
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '10 seconds',
};
