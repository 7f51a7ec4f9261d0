import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../infra/db/embedded-postgres';
import { migrate } from '../infra/db/migrate';
import { databaseUrlOn, ensureDatabase } from '../infra/db/postgres';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import { ensureDevServer, findProjectRoot, type DevServer } from '../infra/temporal/provision';
import { createPool } from '../libs/db/pool';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { isoDate } from '../libs/domain/duration';
import { checkRegister } from '../libs/domain/shares';
import { eventually } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { expectProjectionRebuilt } from './support/projection-check';
import { buildWorkerProgram, exited } from './support/worker-process';
import { testEnv } from './support/test-env';

// Faults on a whole system of its own: an embedded PostgreSQL and a file-backed Temporal dev server on
// ports of this file (so both can be restarted without disturbing the other test files), the real worker
// and API programs as processes. With onboardings in flight: the worker SIGKILLed, the Temporal server
// restarted, PostgreSQL restarted, the API killed in the middle of a decision. Afterwards every workflow
// completes, nothing is lost or written twice, the chain verifies and the projection equals its rebuild.
// `npm run test:faults` runs 200 onboardings; `npm test` a bounded sample.

const N = Number(process.env.FUUSIO_FAULTS_ONBOARDINGS ?? 16);
const ROOT = findProjectRoot();
const NAMESPACE = 'fuusio-faults';
const TASK_QUEUE = 'fuusio-faults';
const dir = join(ROOT, '.fuusio', 'test', `faults-${process.pid}`);
const LOGS = join(ROOT, '.fuusio', 'test', 'faults-logs');
const say = (m: string) => process.stderr.write(`[faults] ${m}\n`);

let pg: EmbeddedPostgres;
let pgPort: number;
let temporal: DevServer;
let temporalAddress: string;
let dbUrl: string;
let pool: Pool;
let apiPort: number;
let worker: ChildProcess;
let api: ChildProcess;
let admin: string;

const freePort = () => new Promise<number>((resolve, reject) => {
  const probe = createServer();
  probe.once('error', reject);
  probe.listen(0, '127.0.0.1', () => {
    const a = probe.address();
    probe.close(() => (typeof a === 'object' && a ? resolve(a.port) : reject(new Error('no port'))));
  });
});

const programEnv = () => ({
  ...process.env, DATABASE_URL: dbUrl, TEMPORAL_ADDRESS: temporalAddress, TEMPORAL_NAMESPACE: NAMESPACE, TEMPORAL_TASK_QUEUE: TASK_QUEUE,
  FUUSIO_WORKFLOW_BUNDLE: testEnv('bundle'), PORT: String(apiPort), LOG_LEVEL: 'warn', LOG_FORMAT: 'json',
});
/** The worker or API program; its log goes to .fuusio/test/faults-logs/ (kept after the run, for a failure's story). */
const startProgram = (app: 'worker' | 'api') => {
  mkdirSync(LOGS, { recursive: true });
  const log = openSync(join(LOGS, `${app}.log`), 'a');
  try {
    return spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], { env: programEnv(), stdio: ['ignore', log, log] });
  } finally {
    closeSync(log);
  }
};
const startTemporal = () => ensureDevServer({ address: temporalAddress, namespaces: [NAMESPACE], headless: true, dataDir: join(dir, 'temporal') });
const startPostgres = () => startEmbeddedPostgres({ port: pgPort, dataDir: join(dir, 'postgres') });

async function kill(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  child.kill(signal);
  await exited(child);
}

/** One HTTP call to the API process; network errors (a killed or restarting API) come back as status 0. */
async function call(method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
  try {
    const res = await fetch(`http://127.0.0.1:${apiPort}${path}`, {
      method, headers: { authorization: `Bearer ${admin}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  } catch {
    return { status: 0, body: undefined };
  }
}

/** Retries a state-changing call through faults until it is accepted, or refused because it already took effect. */
async function until(what: string, fn: () => Promise<{ status: number; body: any }>, done: (r: { status: number; body: any }) => boolean) {
  let last: unknown;
  try {
    return await eventually(async () => {
      const r = await fn();
      last = r;
      return done(r) ? r : undefined;
    }, 120_000, what);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the last answer: ${JSON.stringify(last)}`);
  }
}

const wf = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;
const stageOf = async (id: string) => (await call('GET', wf(id))).body as { stage?: string; status?: string } | undefined;
const atStage = (id: string, stage: string) => until(`${id} at ${stage}`, () => call('GET', wf(id)), (r) => r.status === 200 && r.body.stage === stage && r.body.status === 'running');

/** Drives one onboarding from launch to its payment; each step repeated until it took effect. */
async function drive(): Promise<string> {
  const launched = await until('launch', () => call('POST', '/api/workflows/onboarding', {
    company: SOCOM_BUSINESS_ID, applicant: { name: 'Vikasietoinen ry', businessId: freshBusinessId(), kind: 'association' }, shares: 2, pricePerShareCents: 50_00,
  }), (r) => r.status === 201);
  const id = launched.body.workflowId as string;
  await atStage(id, 'board');
  await until(`${id} board`, () => call('POST', `${wf(id)}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 1/2026 § 3' }),
    (r) => r.status === 200 || (r.status === 409 && r.body?.error !== undefined));
  await atStage(id, 'subscription');
  await until(`${id} signed`, () => call('POST', `${wf(id)}/events`, { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` }), (r) => r.status === 202);
  await atStage(id, 'payment');
  await until(`${id} paid`, () => call('POST', `${wf(id)}/events`, { type: 'payment.received', payload: { amountCents: 100_00, currency: 'EUR' }, idempotencyKey: `${id}:paid` }), (r) => r.status === 202);
  return id;
}

beforeAll(async () => {
  buildWorkerProgram();
  rmSync(dir, { recursive: true, force: true });
  rmSync(LOGS, { recursive: true, force: true });
  [pgPort, apiPort] = [await freePort(), await freePort()];
  temporalAddress = `127.0.0.1:${await freePort()}`;
  pg = await startPostgres();
  dbUrl = databaseUrlOn(pg.adminUrl, 'fuusio');
  await ensureDatabase(dbUrl);
  await migrate(dbUrl);
  pool = createPool(dbUrl, 4);
  await seedDemoData(pool);
  admin = (await new TokenRepository().create(pool, { name: 'faults-admin', role: 'admin', organisation: null })).token;
  temporal = await startTemporal();
  worker = startProgram('worker');
  api = startProgram('api');
}, 300_000);

afterAll(async () => {
  for (const child of [worker, api]) if (child && child.exitCode === null && child.signalCode === null) await kill(child, 'SIGTERM');
  await pool?.end();
  await temporal?.stop();
  await pg?.stop();
  rmSync(dir, { recursive: true, force: true });
});

it(`${N} onboardings survive a killed worker, a restarted Temporal server, a restarted PostgreSQL and an API killed mid-decision`, async () => {
  const figures: string[] = [];
  const started = Date.now();
  const runs = Array.from({ length: N }, () => drive());

  const progressed = async (atLeast: number, stage = 'checked') => eventually(async () => {
    const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM process_runs WHERE stage <> $1 OR status <> 'running'`, [stage]).catch(() => undefined);
    return r && r.rows[0]!.n >= atLeast ? r.rows[0]!.n : undefined;
  }, 240_000, `${atLeast} runs past ${stage}`);

  // 1. The worker dies without a goodbye; a new one takes over.
  figures.push(`worker SIGKILL with ${await progressed(Math.ceil(N / 4))} runs under way`);
  await kill(worker, 'SIGKILL');
  worker = startProgram('worker');

  // 2. The Temporal server stops and starts again on its SQLite file.
  figures.push(`Temporal restart with ${await progressed(Math.ceil(N / 2))} runs under way`);
  await temporal.stop();
  temporal = await startTemporal();

  // 3. PostgreSQL stops and starts again; the worker's and the API's pools reconnect.
  figures.push(`PostgreSQL restart with ${await progressed(Math.ceil((3 * N) / 4))} runs under way`);
  await pg.stop();
  pg = await startPostgres();

  // 4. The API is killed while a decision is in flight; the client retries against a new API process.
  const last = await until('one more launch', () => call('POST', '/api/workflows/onboarding', {
    company: SOCOM_BUSINESS_ID, applicant: { name: 'Viimeinen ry', businessId: freshBusinessId(), kind: 'association' }, shares: 1, pricePerShareCents: 50_00,
  }), (r) => r.status === 201);
  const lastId = last.body.workflowId as string;
  await atStage(lastId, 'board');
  const inFlight = call('POST', `${wf(lastId)}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 2/2026 § 1' });
  await kill(api, 'SIGKILL');
  const answered = await inFlight;
  figures.push(`API SIGKILL during a decision: the client saw ${answered.status === 0 ? 'a dropped connection' : `HTTP ${answered.status}`}`);
  api = startProgram('api');
  await until(`${lastId} board after the API restart`, async () => {
    const s = await stageOf(lastId);
    if (s?.stage !== 'board') return { status: 200, body: s };
    return call('POST', `${wf(lastId)}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 2/2026 § 1' });
  }, (r) => r.status === 200);
  await atStage(lastId, 'subscription');
  await until(`${lastId} signed`, () => call('POST', `${wf(lastId)}/events`, { type: 'subscription.signed', payload: {}, idempotencyKey: `${lastId}:signed` }), (r) => r.status === 202);
  await atStage(lastId, 'payment');
  await until(`${lastId} paid`, () => call('POST', `${wf(lastId)}/events`, { type: 'payment.received', payload: { amountCents: 50_00, currency: 'EUR' }, idempotencyKey: `${lastId}:paid` }), (r) => r.status === 202);

  const ids = [...(await Promise.all(runs)), lastId];
  await eventually(async () => {
    const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM process_runs WHERE workflow_id = ANY($1) AND status = 'completed'`, [ids]).catch(() => undefined);
    return r?.rows[0]!.n === ids.length ? true : undefined;
  }, 240_000, 'every run completed');
  figures.push(`${ids.length} onboardings completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Nothing lost, nothing twice: one register entry per run, a whole register, one decision, one audit trail each.
  const register = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM share_register WHERE source_workflow_id = ANY($1) GROUP BY source_workflow_id', [ids]);
  expect(register.rows.map((r) => r.n)).toEqual(ids.map(() => 1));
  const registry = new RegistryRepository();
  const issued = (await registry.company(pool, SOCOM_BUSINESS_ID))?.sharesIssued ?? 0;
  const held = await registry.holdings(pool, SOCOM_BUSINESS_ID, isoDate(Date.now()));
  expect(checkRegister(issued, held.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });
  const approvals = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM approvals WHERE workflow_id = ANY($1) AND status = 'approved'`, [ids]);
  expect(approvals.rows[0]!.n).toBe(ids.length);
  const perRun = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events WHERE workflow_id = ANY($1) GROUP BY workflow_id', [ids]);
  expect(new Set(perRun.rows.map((r) => r.n)).size).toBe(1);
  const verified = await new AuditRepository().verify(pool);
  expect(verified).toMatchObject({ ok: true });
  for (const id of ids) await expectProjectionRebuilt(pool, id);
  figures.push(`register: ${ids.length} entries, ${issued} shares issued and held; audit: ${perRun.rows[0]!.n} events per run, chain verified`);
  say(figures.join('\n[faults] '));
}, 900_000);
