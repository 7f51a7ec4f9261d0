import { Client as TemporalClient, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { createFuusioWorker } from '../../apps/worker/create-worker';
import { quoteIdentifier } from '../../infra/db/postgres';
import { createPool } from '../../libs/db/pool';
import { testEnv } from './test-env';

export type TestDatabase = { url: string; name: string; pool: Pool; drop(): Promise<void> };

/** A fresh database cloned from the migrated template: each test file gets its own. */
export async function createTestDatabase(): Promise<TestDatabase> {
  const adminUrl = testEnv('adminUrl');
  const name = `fuusio_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(testEnv('template'))}`);
  await admin.end();
  const u = new URL(adminUrl);
  u.pathname = `/${name}`;
  const url = u.toString();
  const pool = createPool(url, 5);
  return {
    url, name, pool,
    async drop() {
      await pool.end();
      const a = new Client({ connectionString: adminUrl });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
      await a.end();
    },
  };
}

export type TestTemporal = {
  client: TemporalClient;
  namespace: string;
  address: string;
  taskQueue: string;
  close(): Promise<void>;
};

/** A client on the test namespace with a task queue of this file's own. */
export async function connectTemporal(): Promise<TestTemporal> {
  const address = testEnv('temporalAddress');
  const namespace = testEnv('namespace');
  const connection = await Connection.connect({ address });
  return {
    client: new TemporalClient({ connection, namespace }),
    namespace, address,
    taskQueue: `test-${randomUUID()}`,
    close: () => connection.close(),
  };
}

// Keep test output to what matters: the SDK's warnings and errors.
try {
  Runtime.install({ logger: new DefaultLogger((process.env.TEST_LOG_LEVEL as 'WARN' | undefined) ?? 'WARN') });
} catch {
  // already installed in this process by an earlier test file
}

export type RunningWorker = { worker: Worker; stop(): Promise<void> };

/** A real worker (real activities on the test database) on the given task queue. */
export async function startWorker(t: Pick<TestTemporal, 'address' | 'namespace' | 'taskQueue'>, pool: Pool): Promise<RunningWorker> {
  const connection = await NativeConnection.connect({ address: t.address });
  const worker = await createFuusioWorker({
    connection, namespace: t.namespace, taskQueue: t.taskQueue, pool,
    workflowBundle: { codePath: testEnv('bundle') },
  });
  const running = worker.run();
  return {
    worker,
    async stop() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await running;
      await connection.close();
    },
  };
}

/** Polls `probe` until it returns a value that is not undefined, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 20_000, what = 'condition'): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
