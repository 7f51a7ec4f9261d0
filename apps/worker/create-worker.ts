import { type NativeConnection, Worker, type WorkerOptions } from '@temporalio/worker';
import type { Pool } from 'pg';
import { createActivities } from '../../activities';
import { openingActivityInterceptor } from '../../libs/temporal/personal-data-sealing';
import { workflowsPath } from '../../libs/temporal/workflows-path';

export type FuusioWorkerOptions = {
  connection: NativeConnection;
  namespace: string;
  taskQueue: string;
  pool: Pool;
  /** A pre-built bundle (production, tests); without it the workflows are bundled at start. */
  workflowBundle?: { codePath: string } | { code: string };
  maxConcurrentActivityTaskExecutions?: number;
};

export { workflowsPath };

/** The one place that decides what a Fuusio worker runs: every workflow, every activity, one task queue. */
export async function createFuusioWorker(opts: FuusioWorkerOptions): Promise<Worker> {
  const options: WorkerOptions = {
    connection: opts.connection,
    namespace: opts.namespace,
    taskQueue: opts.taskQueue,
    activities: createActivities({ pool: opts.pool }),
    // Personal free text arrives sealed from the API (libs/temporal/personal-data-sealing.ts); activities see it opened.
    interceptors: { activity: [openingActivityInterceptor(opts.pool)] },
    ...(opts.workflowBundle ? { workflowBundle: opts.workflowBundle } : { workflowsPath: workflowsPath() }),
    ...(opts.maxConcurrentActivityTaskExecutions ? { maxConcurrentActivityTaskExecutions: opts.maxConcurrentActivityTaskExecutions } : {}),
  };
  return Worker.create(options);
}
