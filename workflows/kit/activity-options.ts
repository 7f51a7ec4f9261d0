import type { ActivityOptions } from '@temporalio/workflow';

/** Registry activities: one database transaction each, retried with backoff until they succeed. */
export const REGISTRY_ACTIVITY_OPTIONS: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
};
