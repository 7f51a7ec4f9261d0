import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../infra/db/embedded-postgres';
import { migrate } from '../infra/db/migrate';
import { databaseUrlOn, ensureDatabase } from '../infra/db/postgres';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoData } from '../infra/seed/seed';
import {
  HAME_ELY_BUSINESS_ID, HUS_BUSINESS_ID, SOCCA_BUSINESS_ID, SOSIAALITAITO_BUSINESS_ID, STM_BUSINESS_ID, VERSO_BUSINESS_ID,
  effectiveDateAfter, seedConsolidationDemo, uusimaaLaunchBody,
} from '../infra/seed/demo-consolidation';
import { ConsolidationRepository } from '../libs/db/repositories/consolidation.repository';
import { consolidationInputSchema, consolidationOrganisations } from '../libs/domain/consolidation';
import { ensureDevServer, findProjectRoot, type DevServer } from '../infra/temporal/provision';
import { createPool } from '../libs/db/pool';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import { checkRegister } from '../libs/domain/shares';
import { atStage, type Caller, completeOnboarding, driveOnboarding, httpCaller, launchOnboarding, until, workflowPath } from '../bench/http-onboarding';
import { eventually } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { expectProjectionRebuilt } from './support/projection-check';
import { buildWorkerProgram, exited } from './support/worker-process';
import { testEnv } from './support/test-env';
import { freePort } from '../infra/provision/net';

// Faults on a whole system of its own: an embedded PostgreSQL and a file-backed Temporal dev server on
// ports of this file (so both can be restarted without disturbing the other test files), the real worker
// and API programs as processes. With onboardings in flight: the worker SIGKILLed, the Temporal server
// restarted, PostgreSQL restarted, the API killed in the middle of a decision. Afterwards every workflow
// completes, nothing is lost or written twice, the chain verifies and the projection equals its rebuild.
// `npm run test:faults` runs 200 onboardings; `npm test` a bounded sample.

const N = Number(process.env.FUUSIO_FAULTS_ONBOARDINGS ?? 16);
/** How long one step may wait: two cores work through a backlog of N runs after each fault. */
const STEP_MS = Math.max(120_000, N * 2_000);
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

let call: Caller;
const consolidations = new ConsolidationRepository();

/** Repeats one decision through the faults until it is taken (200) or found taken already. */
const decideUntilTaken = (id: string, decision: Record<string, unknown>) => until(`${id} ${String(decision.body ?? decision.gate)}`,
  () => call('POST', `${workflowPath(id)}/decisions`, { decision: 'approve', ...decision }),
  (r) => r.status === 200 || (r.status === 409 && r.body?.error === 'gate_closed') || r.body?.error === 'already_decided');

/**
 * The Uusimaa consolidation driven through its study, its decision chain and the funders' consents, so
 * that its children move staff, agreements and projects while the faults happen; resolves when every
 * transfer is done and the run waits for its effective date.
 */
async function driveConsolidation(id: string): Promise<void> {
  await atStage(call, id, 'feasibility');
  await until(`${id} study`, () => call('POST', `${workflowPath(id)}/events`, {
    type: 'study.completed', payload: { findings: 'An administrative merger serves the new counties.' }, idempotencyKey: `${id}:study`,
  }), (r) => r.status === 202);
  await atStage(call, id, 'decisions');
  for (const [party, body] of [
    [VERSO_BUSINESS_ID, 'verso-board'], [VERSO_BUSINESS_ID, 'joint-authority-board'], [SOCCA_BUSINESS_ID, 'socca-steering-group'],
    [SOSIAALITAITO_BUSINESS_ID, 'sosiaalitaito-board'], [VERSO_BUSINESS_ID, 'joint-authority-council'], [HUS_BUSINESS_ID, 'hus-board'],
  ]) await decideUntilTaken(id, { gate: 'decisions', party, body, reference: `${body} § 1` });
  await until(`${id} consents open`, () => call('GET', workflowPath(id)),
    (r) => r.status === 200 && (r.body.pendingApprovals ?? []).length === 3);
  for (const [gate, party] of [['consent/S21901', HAME_ELY_BUSINESS_ID], ['consent/S21902', HAME_ELY_BUSINESS_ID], ['consent/S21903', STM_BUSINESS_ID]]) {
    await decideUntilTaken(id, { gate, party });
  }
  await atStage(call, id, 'effective', 240_000);
}
const applicant = (name: string) => ({ name, businessId: freshBusinessId() });

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
  await seedConsolidationDemo(pool);
  admin = (await new TokenRepository().create(pool, { name: 'faults-admin', role: 'admin', organisation: null })).token;
  call = httpCaller(`http://127.0.0.1:${apiPort}`, admin);
  temporal = await startTemporal();
  worker = startProgram('worker');
  api = startProgram('api');
}, 300_000);

afterAll(async () => {
  // Each step on its own: a step that fails must not leave the servers of this file running.
  const steps: Array<() => Promise<unknown>> = [
    ...[worker, api].map((child) => () => (child && child.exitCode === null && child.signalCode === null ? kill(child, 'SIGTERM') : Promise.resolve())),
    () => pool?.end(), () => temporal?.stop(), () => pg?.stop(),
  ];
  for (const step of steps) await Promise.race([step().catch(() => undefined), new Promise((r) => setTimeout(r, 15_000))]);
  rmSync(dir, { recursive: true, force: true });
}, 120_000);

it(`${N} onboardings survive a killed worker, a restarted Temporal server, a restarted PostgreSQL and an API killed mid-decision`, async () => {
  const figures: string[] = [];
  const started = Date.now();
  const consolidationBody = { ...uusimaaLaunchBody(effectiveDateAfter(new Date(), 120)), slug: 'faults' };
  const consolidationInput = consolidationInputSchema.parse(consolidationBody);
  const registryBefore = await consolidations.snapshotRows(pool, consolidationOrganisations(consolidationInput));
  const launched = await until('consolidation launch', () => call('POST', '/api/workflows/consolidation', consolidationBody), (r) => r.status === 201);
  const consolidationId = launched.body.workflowId as string;
  const consolidation = driveConsolidation(consolidationId);
  const runs = Array.from({ length: N }, () => driveOnboarding(call, applicant('Vikasietoinen ry'), 2, STEP_MS));

  const progressed = async (atLeast: number, stage = 'checked') => eventually(async () => {
    const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM process_runs WHERE stage <> $1 OR status <> 'running'`, [stage]).catch(() => undefined);
    return r && r.rows[0]!.n >= atLeast ? r.rows[0]!.n : undefined;
  }, 2 * STEP_MS, `${atLeast} runs past ${stage}`);

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
  const lastId = await launchOnboarding(call, applicant('Viimeinen ry'), 1);
  await atStage(call, lastId, 'board');
  const inFlight = call('POST', `${workflowPath(lastId)}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 2/2026 § 1' });
  await kill(api, 'SIGKILL');
  const answered = await inFlight;
  figures.push(`API SIGKILL during a decision: the client saw ${answered.status === 0 ? 'a dropped connection' : `HTTP ${answered.status}`}`);
  api = startProgram('api');
  // Whether the killed API passed the decision on or not, the client carries on until the run is paid.
  await completeOnboarding(call, lastId, 1);

  const ids = [...(await Promise.all(runs)), lastId];
  await consolidation;
  // Every item moved exactly once (a natural key per move), then a cancel before the effective date
  // undoes them all and the registry is exactly as it was.
  const moves = await consolidations.transfers(pool, consolidationId);
  const items = consolidationInput.parties.reduce((n, p) => n + p.staff.length + p.agreements.length + p.projects.length, 0);
  expect(moves.filter((m) => m.outcome === 'transferred')).toHaveLength(items);
  expect(new Set(moves.map((m) => m.step)).size).toBe(moves.length);
  await until('consolidation cancel', () => call('POST', `${workflowPath(consolidationId)}/cancel`, { reason: 'the faults suite ends here' }),
    (r) => r.status === 200 && r.body.status === 'cancelled');
  expect(await consolidations.snapshotRows(pool, consolidationOrganisations(consolidationInput))).toEqual(registryBefore);
  figures.push(`consolidation: ${items} items moved once each through the faults, then undone by a cancel; registry equal to its snapshot`);
  await eventually(async () => {
    const r = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM process_runs WHERE workflow_id = ANY($1) AND status = 'completed'`, [ids]).catch(() => undefined);
    return r?.rows[0]!.n === ids.length ? true : undefined;
  }, 2 * STEP_MS, 'every run completed');
  figures.push(`${ids.length} onboardings completed in ${((Date.now() - started) / 1000).toFixed(1)} s`);

  // Nothing lost, nothing twice: one register entry per run, a whole register, one decision, one audit trail each.
  const register = await pool.query<{ n: number }>('SELECT count(*)::int AS n FROM share_register WHERE source_workflow_id = ANY($1) GROUP BY source_workflow_id', [ids]);
  expect(register.rows.map((r) => r.n)).toEqual(ids.map(() => 1));
  const registry = new RegistryRepository();
  const issued = (await registry.company(pool, SOCOM_BUSINESS_ID))?.sharesIssued ?? 0;
  const held = await registry.holdings(pool, SOCOM_BUSINESS_ID, helsinkiDate(Date.now()));
  expect(checkRegister(issued, held.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });
  const approvals = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM approvals WHERE workflow_id = ANY($1) AND status = 'approved'`, [ids]);
  expect(approvals.rows[0]!.n).toBe(ids.length);
  // The workflows' own (tracked) events are the same list for every run, faults or not; the API's events
  // count the calls made, retries included, and are not compared. Neither is the archiver's `history.*`
  // record: it runs on its own clock, so a run closed just before this check may not be archived yet.
  const perRun = await pool.query<{ workflow_id: string; n: number; actions: string }>(
    `SELECT workflow_id, count(*)::int AS n, string_agg(replace(action, workflow_id, '<id>'), ',' ORDER BY action) AS actions FROM audit_events
      WHERE workflow_id = ANY($1) AND idempotency_key NOT LIKE 'api#%' AND action NOT LIKE 'history.%' GROUP BY workflow_id`, [ids]);
  expect(perRun.rows).toHaveLength(ids.length);
  expect(new Set(perRun.rows.map((r) => r.actions))).toEqual(new Set([perRun.rows[0]!.actions]));
  const verified = await new AuditRepository().verify(pool);
  expect(verified).toMatchObject({ ok: true });
  for (const id of [...ids, consolidationId]) await expectProjectionRebuilt(pool, id);
  figures.push(`register: ${ids.length} entries, ${issued} shares issued and held; audit: ${perRun.rows[0]!.n} events per run, chain verified`);
  say(figures.join('\n[faults] '));
}, Math.max(900_000, 6 * STEP_MS));
