import { bundleWorkflowCode } from '@temporalio/worker';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { workflowsPath } from '../../apps/worker/create-worker';
import { ensureDatabase, quoteIdentifier, resolvePostgresServer } from '../../infra/db/postgres';
import { migrate } from '../../infra/db/migrate';
import { ensureDevServer } from '../../infra/temporal/provision';
import { findProjectRoot } from '../../infra/temporal/provision';
import { ensureChromium } from '../../infra/browser/chromium';
import { TEST_ENV, workerNamespace } from './test-env';
import { freePort } from '../../infra/provision/net';

/**
 * Once per `jest` run: PostgreSQL up (an embedded one if none answers), a browser for the dashboard tests, a migrated template database that each test file clones,
 * a Temporal dev server (reused if one answers) with a namespace of its own, and the workflow bundle.
 */
export default async function globalSetup(globalConfig: { maxWorkers: number }): Promise<void> {
  const log = (m: string) => process.stderr.write(`[setup] ${m}\n`);
  // The machine's PostgreSQL, or TEST_DATABASE_ADMIN_URL; where neither answers, an embedded one for this run.
  const pgDataDir = join(findProjectRoot(), '.fuusio', 'test', `postgres-${process.pid}`);
  const postgres = await resolvePostgresServer({
    explicitUrl: process.env.TEST_DATABASE_ADMIN_URL, embeddedPort: await freePort(), embeddedDataDir: pgDataDir, log,
  });
  (globalThis as Record<string, unknown>).__fuusioPostgres = postgres;
  (globalThis as Record<string, unknown>).__fuusioPostgresDataDir = pgDataDir;
  const adminUrl = postgres.adminUrl;
  const templateName = `fuusio_test_template_${process.pid}`;
  const templateUrl = withDatabase(adminUrl, templateName);
  await ensureDatabase(templateUrl, log);
  await migrate(templateUrl, log);
  // A template must have no open connections when it is cloned.
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`ALTER DATABASE ${quoteIdentifier(templateName)} WITH IS_TEMPLATE true`);
  await admin.end();

  // A namespace per run and jest worker: business keys are workflow ids, so a shared namespace would refuse
  // one test file's launch as a duplicate of another's running at the same time (see testNamespace()).
  const namespace = process.env.TEMPORAL_TEST_NAMESPACE ?? `fuusio-test-${Date.now().toString(36)}`;
  const namespaces = Array.from({ length: Math.max(1, globalConfig.maxWorkers) }, (_, i) => workerNamespace(namespace, i + 1));
  // Each run gets a throwaway server on a free port (its own SQLite file), so test runs never share or
  // stop someone else's server; TEMPORAL_TEST_ADDRESS points the tests at an existing one instead.
  const address = process.env.TEMPORAL_TEST_ADDRESS ?? `127.0.0.1:${await freePort()}`;
  const temporalDataDir = join(findProjectRoot(), '.fuusio', 'test', `temporal-${process.pid}`);
  const server = await ensureDevServer({ address, namespaces, log, headless: true, dataDir: temporalDataDir });
  (globalThis as Record<string, unknown>).__fuusioTemporalDataDir = server.started ? temporalDataDir : undefined;
  (globalThis as Record<string, unknown>).__fuusioTemporal = server;
  (globalThis as Record<string, unknown>).__fuusioTemplate = { adminUrl, templateName };

  const dir = join(findProjectRoot(), '.fuusio', 'test');
  mkdirSync(dir, { recursive: true });
  const bundlePath = join(dir, 'workflow-bundle.js');
  const { code } = await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger });
  writeFileSync(bundlePath, code);

  // Found or installed now, never skipped: without it the dashboard tests would fail one by one.
  process.env[TEST_ENV.chromium] = await ensureChromium(log);

  process.env[TEST_ENV.adminUrl] = adminUrl;
  process.env[TEST_ENV.template] = templateName;
  process.env[TEST_ENV.temporalAddress] = server.address;
  process.env[TEST_ENV.namespace] = namespace;
  process.env[TEST_ENV.bundle] = bundlePath;
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

const noop = () => undefined;
const quietLogger = { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop };

