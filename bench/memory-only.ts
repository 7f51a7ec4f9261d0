/**
 * `node dist/bench/memory-only.js [--levels 50,100,200] [--fuusio-bundle path] [--temporal-address host:port]`
 *
 * W7 alone (worker memory per cached waiting workflow, Fuusio beside bare) plus the size of both workflow
 * bundles, without the rest of the bench: for measuring a change to the workflow bundle on a shared machine.
 * `--fuusio-bundle`: a workflow bundle built elsewhere (e.g. from an earlier commit) instead of this tree's.
 * Makes its own databases and namespace on a dev server it starts, and removes them at the end.
 */
import 'reflect-metadata';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePostgresRunning } from '../infra/db/postgres';
import { freePort } from '../infra/provision/net';
import { ensureDevServer, findProjectRoot } from '../infra/temporal/provision';
import { workflowsPath } from '../libs/temporal/workflows-path';
import { runMemory } from './arms/memory';
import { cloneDatabase, createTemplate, dropDatabases } from './support';

const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(2);

async function main(argv: string[]): Promise<void> {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const levels = (value('--levels') ?? '250,500,1000').split(',').map(Number);
  if (levels.some((l) => !Number.isInteger(l) || l <= 0)) throw new Error('--levels: positive integers, e.g. 50,100,200');
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const progress = (line: string) => process.stderr.write(`${line}\n`);
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
  const prefix = `fuusio_benchmem_${stamp}`;
  const runDir = join(findProjectRoot(), '.fuusio', 'bench', `memory-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const template = `${prefix}_tpl`;
  const names = [`${prefix}_f`, `${prefix}_b`];
  const namespace = `benchmem-${stamp}`;
  await ensurePostgresRunning(adminUrl);
  let server: { started: boolean; stop(): Promise<void> } | undefined;
  let connection: Connection | undefined;
  try {
    await createTemplate(adminUrl, template);
    const [fuusioUrl, bareUrl] = await Promise.all(names.map((n) => cloneDatabase(adminUrl, template, n)));
    const address = value('--temporal-address') ?? `127.0.0.1:${await freePort()}`;
    server = await ensureDevServer({ address, namespaces: [namespace], headless: true, dataDir: join(runDir, 'temporal'), log: () => undefined });
    connection = await Connection.connect({ address });
    const client = new TemporalClient({ connection, namespace });

    const given = value('--fuusio-bundle');
    const fuusioBundle = given ? readFileSync(given, 'utf8') : (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger })).code;
    const bareBundle = (await bundleWorkflowCode({ workflowsPath: require.resolve('./bare/workflows'), logger: quietLogger })).code;
    const fuusioBundlePath = join(runDir, 'fuusio-bundle.js');
    const bareBundlePath = join(runDir, 'bare-bundle.js');
    writeFileSync(fuusioBundlePath, fuusioBundle);
    writeFileSync(bareBundlePath, bareBundle);

    const r = await runMemory({
      levels, client, address, namespace, progress,
      fuusio: { url: fuusioUrl as string, bundlePath: fuusioBundlePath }, bare: { url: bareUrl as string, bundlePath: bareBundlePath },
    });
    const out = {
      bundleBytes: { fuusio: Buffer.byteLength(fuusioBundle), bare: Buffer.byteLength(bareBundle) },
      ...r,
    };
    writeFileSync(join(findProjectRoot(), '.fuusio', 'bench', `memory-${stamp}.json`), JSON.stringify(out, null, 2));
    process.stdout.write(`bundle: Fuusio ${mb(out.bundleBytes.fuusio)} MB, bare ${mb(out.bundleBytes.bare)} MB\n`);
    for (const p of [...r.baseline, ...r.points]) {
      process.stdout.write(`${p.arm.padEnd(6)} parked ${String(p.parked).padStart(5)}  cached ${String(p.cached).padStart(5)}  RSS ${mb(p.rssBytes)} MB  heap ${mb(p.heapUsedBytes)} MB\n`);
    }
    process.stdout.write(`per cached waiting workflow: Fuusio ${mb(r.bytesPerWorkflow.fuusio)} MB, bare ${mb(r.bytesPerWorkflow.bare)} MB `
      + `(max cached: Fuusio ${r.maxCachedWorkflows.fuusio}, bare ${r.maxCachedWorkflows.bare})\n`);
  } finally {
    await connection?.close().catch(() => undefined);
    await dropDatabases(adminUrl, names, [template]).catch((e: Error) => progress(`cleanup: ${e.message}`));
    await server?.stop().catch(() => undefined);
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench memory: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
