import { seedDemoData } from '../../infra/seed/seed';
import { startApi, type TestApi } from './api-harness';
import { connectTemporal, createTestDatabase, startWorker, type RunningWorker, type TestDatabase, type TestTemporal } from './harness';

export type Stack = { db: TestDatabase; temporal: TestTemporal; worker: RunningWorker; api: TestApi; stop(): Promise<void> };
export type WorkerStack = Omit<Stack, 'api'>;

/** A test file's own system: a seeded database, the Temporal test namespace, a real worker and, if asked, the API. */
export async function startStack(opts: { api: false }): Promise<WorkerStack>;
export async function startStack(opts?: { api?: true }): Promise<Stack>;
export async function startStack(opts: { api?: boolean } = {}): Promise<Stack | WorkerStack> {
  const db = await createTestDatabase();
  await seedDemoData(db.pool);
  const temporal = await connectTemporal();
  const worker = await startWorker(temporal, db.pool);
  const api = opts.api === false ? undefined : await startApi(db, temporal);
  const stop = async () => {
    await api?.close();
    await worker.stop();
    await temporal.close();
    await db.drop();
  };
  return api ? { db, temporal, worker, api, stop } : { db, temporal, worker, stop };
}
