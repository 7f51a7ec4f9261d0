import { type ChildProcess, spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createPool } from '../../libs/db/pool';
import { databaseUrlOn, dropDatabase, ensureDatabase, resolvePostgresServer } from '../db/postgres';
import { migrate } from '../db/migrate';
import { seedConsolidationDemo } from '../seed/demo-consolidation';
import { seedDemoProjects } from '../seed/demo-projects';
import { seedDemoData } from '../seed/seed';
import { ensureDevServer, findProjectRoot } from '../temporal/provision';
import { prepareFuzzData } from './fuzz-data';
import { describeFuzzResult, FUZZ_EXCLUDED_PATHS, runSchemathesis } from './schemathesis';
import { freePort, waitForHttp } from '../provision/net';

/**
 * `npm run test:fuzz`: a stack of its own (a throwaway database with the demo data, a Temporal dev
 * server on a free port, the built worker and API as processes), then Schemathesis against the API's
 * OpenAPI document with enough examples per operation for well over 10,000 requests. Exit 0 only when
 * no request got a 5xx or an answer that breaks the documented schema.
 *
 * FUZZ_EXAMPLES (per operation and phase, default 400), FUZZ_WORKERS (default 2), FUZZ_SEED.
 */
const say = (msg: string) => console.log(`[fuzz] ${msg}`);
const cleanup: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];

async function main(): Promise<number> {
  const root = findProjectRoot();
  const tag = `${process.pid}`;
  const postgres = await resolvePostgresServer({
    explicitUrl: process.env.FUZZ_DATABASE_ADMIN_URL, embeddedPort: await freePort(), embeddedDataDir: join(root, '.fuusio', 'fuzz', `postgres-${tag}`), log: say,
  });
  cleanup.push(postgres.stop);
  const databaseUrl = databaseUrlOn(postgres.adminUrl, `fuusio_fuzz_${tag}`);
  await ensureDatabase(databaseUrl, say);
  cleanup.push(() => dropDatabase(databaseUrl, say));
  await migrate(databaseUrl, say);
  const pool = createPool(databaseUrl, 2);
  cleanup.push(() => pool.end());
  await seedDemoData(pool);
  await seedDemoProjects(pool);
  await seedConsolidationDemo(pool);

  const namespace = 'fuusio-fuzz';
  const temporalDir = join(root, '.fuusio', 'fuzz', `temporal-${tag}`);
  const temporal = await ensureDevServer({
    address: `127.0.0.1:${await freePort()}`, namespaces: [namespace], headless: true, dataDir: temporalDir, log: say,
  });
  cleanup.push(async () => {
    await temporal.stop();
    rmSync(temporalDir, { recursive: true, force: true });
  });

  const port = await freePort();
  const env = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    TEMPORAL_NAMESPACE: namespace,
    TEMPORAL_TASK_QUEUE: 'fuusio-fuzz',
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'error',
    LOG_FORMAT: 'json',
    // One client sending as fast as it can: the per-client limit would answer it 429 and hide the rest.
    FUUSIO_RATE_LIMIT: '100000000',
  };
  for (const app of ['worker', 'api']) {
    const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'main.js')], { stdio: ['ignore', 'inherit', 'inherit'], env });
    children.push(child);
  }
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitForHttp(`${baseUrl}/readyz`);
  const data = await prepareFuzzData(pool, baseUrl);
  say(`API at ${baseUrl}, Temporal at ${temporal.address}, database ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);

  const result = await runSchemathesis({
    baseUrl,
    data,
    maxExamples: Number(process.env.FUZZ_EXAMPLES ?? 400),
    workers: Number(process.env.FUZZ_WORKERS ?? 2),
    seed: process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined,
    reportDir: join(root, '.fuusio', 'fuzz', 'report'),
    exclude: FUZZ_EXCLUDED_PATHS,
    log: say,
  });
  say(describeFuzzResult(result));
  const ok = result.exitCode === 0 && result.failures.length === 0 && result.errors.length === 0;
  say(ok ? 'no server errors, no answer that breaks the documented schema' : 'FAILED');
  return ok ? 0 : 1;
}

async function stopAll(): Promise<void> {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)))));
  for (const step of cleanup.reverse()) await step().catch((err: Error) => say(`cleanup: ${err.message}`));
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    say(`${signal}: stopping`);
    void stopAll().then(() => process.exit(130));
  });
}

main()
  .catch((err: Error) => {
    console.error(`[fuzz] failed: ${err.stack ?? err.message}`);
    return 1;
  })
  .then(async (code) => {
    await stopAll();
    process.exit(code);
  });
