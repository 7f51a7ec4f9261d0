/**
 * The live arms W2 (bare Temporal), W3 (Fuusio through its service layer) and W4 (DBOS): each knows how
 * to drive one onboarding end to end (start, board decision, signature, payment, result). The drivers
 * wait for each stage through the projection's pg_notify, the same signal in every arm.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import type { Pool } from 'pg';
import { createFuusioWorker } from '../../apps/worker/create-worker';
import { TemporalClientProvider } from '../../apps/api/temporal/temporal.module';
import { ScopePolicy } from '../../apps/api/auth/scope.policy';
import { Clock } from '../../apps/api/people/clock';
import { Deciders } from '../../apps/api/people/deciders';
import { ItemListsService } from '../../apps/api/consolidations/item-lists.service';
import { WorkflowsService } from '../../apps/api/workflows/workflows.service';
import { RunReconciler } from '../../apps/api/workflows/run-reconciler';
import type { FuusioConfig } from '../../libs/config/config';
import { createPool } from '../../libs/db/pool';
import type { TokenOwner } from '../../libs/db/repositories/token.repository';
import type { OnboardingInput } from '../../libs/domain/schemas';
import { createBareActivities } from '../bare/activities';
import { registerDbosOnboarding, DBOS_TOPICS, type DbosOnboarding } from '../dbos/onboarding';
import { StageWaiter, application } from '../support';

export type LiveArmName = 'W2' | 'W3' | 'W4';

export type LiveArm = {
  name: LiveArmName;
  label: string;
  database: string;
  /** Runs one onboarding to its end; n numbers the applications of this arm. */
  drive(n: number): Promise<void>;
  /** Ids of the workflows this arm completed (for history fetches). */
  completed: string[];
  /** Commits the bench itself caused on the arm's database: its statements and its listener's notification reads. */
  benchStatements(): number;
  /** Tracked state changes committed so far on the arm's database (16 per onboarding). */
  trackedChanges(): Promise<number>;
  /** Stops every onboarding still in flight (terminate / cancel), so the next block starts on a quiet system. */
  abort(): Promise<number>;
  close(): Promise<void>;
};

/** The in-flight bookkeeping every arm shares: which workflows to stop when a block ends. */
function inFlight(waiter: StageWaiter, stop: (ids: string[]) => Promise<void>) {
  const ids = new Set<string>();
  return {
    async run<T>(id: string, work: () => Promise<T>): Promise<T> {
      ids.add(id);
      try {
        return await work();
      } finally {
        ids.delete(id);
      }
    },
    async abort(): Promise<number> {
      const stopping = [...ids];
      waiter.stop(stopping, 'stopped at the end of the block');
      await stop(stopping);
      return stopping.length;
    },
  };
}

async function settleAll(ids: string[], one: (id: string) => Promise<unknown>): Promise<void> {
  await Promise.all(ids.map((id) => one(id).catch(() => undefined)));
}

const BENCH_USER: TokenOwner = { id: 0, name: 'bench', role: 'admin', organisation: null };
const POOL_SIZE = 10; // DB_POOL_SIZE's default, for every arm's worker

export type TemporalTarget = { address: string; namespace: string };

function dueCents(input: OnboardingInput): number {
  return input.shares * input.pricePerShareCents;
}

/** W2: a plain Worker with the bare workflow bundle and plain activities; the driver is a plain client. */
export async function bareArm(t: TemporalTarget, db: { url: string; name: string }, bundleCode: string): Promise<LiveArm & { worker: Worker }> {
  const pool = createPool(db.url, POOL_SIZE);
  const taskQueue = `bench-bare-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect({ address: t.address });
  const worker = await Worker.create({
    connection: nativeConnection, namespace: t.namespace, taskQueue,
    activities: createBareActivities(pool), workflowBundle: { code: bundleCode },
  });
  const running = worker.run();
  const connection = await Connection.connect({ address: t.address });
  const client = new TemporalClient({ connection, namespace: t.namespace });
  const waiter = await StageWaiter.open(db.url);
  const flight = inFlight(waiter, (ids) => settleAll(ids, (id) => client.workflow.getHandle(id).terminate('bench block ended')));
  const completed: string[] = [];
  return {
    name: 'W2', label: 'bare Temporal', database: db.name, worker, completed,
    trackedChanges: () => waiter.trackedChanges(),
    abort: () => flight.abort(),
    drive: (n) => {
      const input = application(2, n);
      const workflowId = `onboarding:${input.company}:${input.applicant.businessId}`;
      return flight.run(workflowId, async () => {
        const handle = await client.workflow.start('bareOnboarding', { taskQueue, workflowId, args: [input] });
        await waiter.waitFor(workflowId, 'board');
        await handle.executeUpdate('decide', { args: [{ party: input.company, decision: 'approve', actor: 'admin:bench', reference: 'bench' }] });
        await waiter.waitFor(workflowId, 'subscription');
        await handle.executeUpdate('sign', { updateId: `${workflowId}#sign`, args: [{ idempotencyKey: `${workflowId}#sign`, actor: 'admin:bench' }] });
        await waiter.waitFor(workflowId, 'payment');
        await handle.executeUpdate('pay', { updateId: `${workflowId}#pay`, args: [{ idempotencyKey: `${workflowId}#pay`, amountCents: dueCents(input), actor: 'admin:bench' }] });
        const result = await handle.result() as { status: string };
        if (result.status !== 'completed') throw new Error(`${workflowId} ended ${result.status}`);
        completed.push(workflowId);
      });
    },
    benchStatements: () => waiter.statements + waiter.notifications,
    async close() {
      await waiter.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await connection.close();
      await pool.end();
    },
  };
}

/** W3: the real Fuusio worker (createFuusioWorker) and the API's WorkflowsService (launch, decide, event). */
export async function fuusioArm(t: TemporalTarget, db: { url: string; name: string }, bundleCode: string): Promise<LiveArm & { worker: Worker }> {
  const workerPool = createPool(db.url, POOL_SIZE);
  const apiPool = createPool(db.url, POOL_SIZE);
  const taskQueue = `bench-fuusio-${randomUUID().slice(0, 8)}`;
  const nativeConnection = await NativeConnection.connect({ address: t.address });
  const worker = await createFuusioWorker({
    connection: nativeConnection, namespace: t.namespace, taskQueue, pool: workerPool, workflowBundle: { code: bundleCode },
  });
  const running = worker.run();
  const config = { temporal: { address: t.address, namespace: t.namespace, taskQueue } } as FuusioConfig;
  const temporal = new TemporalClientProvider(config, apiPool);
  const service = new WorkflowsService(apiPool, temporal, new ScopePolicy(apiPool), new RunReconciler(apiPool, temporal), new Deciders(apiPool, new Clock()), new Clock(), new ItemListsService(apiPool));
  const waiter = await StageWaiter.open(db.url);
  const flight = inFlight(waiter, async (ids) => {
    const client = await temporal.get();
    await settleAll(ids, (id) => client.workflow.getHandle(id).terminate('bench block ended'));
  });
  const completed: string[] = [];
  return {
    name: 'W3', label: 'Fuusio', database: db.name, worker, completed,
    trackedChanges: () => waiter.trackedChanges(),
    abort: () => flight.abort(),
    drive: (n) => {
      const input = application(3, n);
      return flight.run(`onboarding:${input.company}:${input.applicant.businessId}`, async () => {
        const { workflowId } = await service.launch('onboarding', input, BENCH_USER, randomUUID());
        await waiter.waitFor(workflowId, 'board');
        await service.decide(workflowId, { gate: 'board', party: input.company, decision: 'approve', reference: 'bench' }, BENCH_USER, randomUUID());
        await waiter.waitFor(workflowId, 'subscription');
        await service.event(workflowId, { type: 'subscription.signed', idempotencyKey: `${workflowId}#sign`, payload: {} }, BENCH_USER, randomUUID());
        await waiter.waitFor(workflowId, 'payment');
        await service.event(workflowId, {
          type: 'payment.received', idempotencyKey: `${workflowId}#pay`, payload: { amountCents: dueCents(input), currency: 'EUR' },
        }, BENCH_USER, randomUUID());
        const result = await (await temporal.get()).workflow.getHandle(workflowId).result() as { status: string };
        if (result.status !== 'completed') throw new Error(`${workflowId} ended ${result.status}`);
        completed.push(workflowId);
      });
    },
    benchStatements: () => waiter.statements + waiter.notifications,
    async close() {
      await waiter.close();
      worker.shutdown();
      await running;
      await nativeConnection.close();
      await temporal.onApplicationShutdown();
      await workerPool.end();
      await apiPool.end();
    },
  };
}

/** W4: DBOS Transact in this process; its system database is `system`, the application SQL goes to `db`. */
export async function dbosArm(db: { url: string; name: string }, system: { url: string; name: string }): Promise<LiveArm> {
  const pool: Pool = createPool(db.url, POOL_SIZE);
  DBOS.setConfig({ name: 'fuusio-bench', systemDatabaseUrl: system.url, systemDatabasePoolSize: POOL_SIZE, logLevel: 'error' });
  const workflow: DbosOnboarding = registerDbosOnboarding(pool);
  await DBOS.launch();
  const waiter = await StageWaiter.open(db.url);
  const flight = inFlight(waiter, (ids) => settleAll(ids, (id) => DBOS.cancelWorkflow(id)));
  const completed: string[] = [];
  return {
    name: 'W4', label: 'DBOS', database: db.name, completed,
    trackedChanges: () => waiter.trackedChanges(),
    abort: () => flight.abort(),
    drive: (n) => {
      const input = application(4, n);
      const workflowID = `onboarding:${input.company}:${input.applicant.businessId}`;
      return flight.run(workflowID, async () => {
        const handle = await DBOS.startWorkflow(workflow, { workflowID })(input);
        await waiter.waitFor(workflowID, 'board');
        await DBOS.send(workflowID, { party: input.company, decision: 'approve', actor: 'admin:bench', reference: 'bench' }, DBOS_TOPICS.decide);
        await waiter.waitFor(workflowID, 'subscription');
        await DBOS.send(workflowID, { idempotencyKey: `${workflowID}#sign`, actor: 'admin:bench' }, DBOS_TOPICS.sign, `${workflowID}#sign`);
        await waiter.waitFor(workflowID, 'payment');
        await DBOS.send(workflowID, { idempotencyKey: `${workflowID}#pay`, amountCents: dueCents(input), actor: 'admin:bench' }, DBOS_TOPICS.pay, `${workflowID}#pay`);
        const result = await handle.getResult();
        if (result.status !== 'completed') throw new Error(`${workflowID} ended ${result.status}`);
        completed.push(workflowID);
      });
    },
    benchStatements: () => waiter.statements + waiter.notifications,
    async close() {
      await waiter.close();
      await DBOS.shutdown();
      await pool.end();
    },
  };
}
