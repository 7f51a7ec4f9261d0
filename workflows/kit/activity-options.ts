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
