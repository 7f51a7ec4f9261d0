/**
 * W7's worker process: a Fuusio worker (createFuusioWorker) or the bare one, alone in its process so its
 * resident memory is its own. Commands on stdin, one JSON answer per line on stdout:
 * `measure` (after two forced GCs) and `stop`.
 */
import { DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { createInterface } from 'node:readline';
import { createFuusioWorker } from '../apps/worker/create-worker';
import { createPool } from '../libs/db/pool';
import { createBareActivities } from './bare/activities';

export type MemoryWorkerSpec = { arm: 'fuusio' | 'bare'; address: string; namespace: string; taskQueue: string; databaseUrl: string; bundlePath: string };

async function main(spec: MemoryWorkerSpec): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const pool = createPool(spec.databaseUrl, 10);
  const connection = await NativeConnection.connect({ address: spec.address });
  const worker = spec.arm === 'fuusio'
    ? await createFuusioWorker({ connection, namespace: spec.namespace, taskQueue: spec.taskQueue, pool, workflowBundle: { codePath: spec.bundlePath } })
    : await Worker.create({
      connection, namespace: spec.namespace, taskQueue: spec.taskQueue, activities: createBareActivities(pool), workflowBundle: { codePath: spec.bundlePath },
    });
  const running = worker.run();
  const say = (o: unknown) => process.stdout.write(`${JSON.stringify(o)}\n`);
  say({ ready: true, maxCachedWorkflows: worker.options.maxCachedWorkflows });
  for await (const line of createInterface({ input: process.stdin })) {
    if (line === 'measure') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      await new Promise((r) => setTimeout(r, 300));
      gc?.();
      const m = process.memoryUsage();
      say({ rss: m.rss, heapUsed: m.heapUsed, cached: worker.getStatus().numCachedWorkflows });
    } else if (line === 'stop') {
      break;
    }
  }
  worker.shutdown();
  await running;
  await connection.close();
  await pool.end();
}

if (require.main === module) {
  main(JSON.parse(process.argv[2] ?? '{}') as MemoryWorkerSpec).catch((err: Error) => {
    process.stderr.write(`memory worker: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
