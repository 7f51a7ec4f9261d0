/**
 * `node dist/bench/reform.js [--items 220000] [--counties 22] [--lanes 2]`
 *
 * W10 alone: the 2023 reform (22 consolidations, 220,000 staff references) from launch to completed on
 * Temporal's time-skipping test server, and the cancel of the largest county, without the rest of the bench.
 * `--items`/`--counties` scale it down (the first n counties, their staff scaled to the total). Progress lines
 * on stderr, the W10 rows on stdout, the figures in .fuusio/bench/reform-<timestamp>.json. Makes its own
 * databases and removes them at the end.
 */
import 'reflect-metadata';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePostgresRunning } from '../infra/db/postgres';
import { findProjectRoot } from '../infra/temporal/provision';
import { workflowsPath } from '../libs/temporal/workflows-path';
import { REFORM_COUNTIES, REFORM_STAFF, runReform } from './arms/reform';
import { reformRows } from './ratios';
import { formatRatios } from './report';
import { cloneDatabase, createTemplate, dropDatabases } from './support';

const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function main(argv: string[]): Promise<void> {
  const value = (flag: string, fallback: number) => {
    const i = argv.indexOf(flag);
    const n = i >= 0 ? Number(argv[i + 1]) : fallback;
    if (!Number.isInteger(n) || n <= 0) throw new Error(`${flag}: a positive integer`);
    return n;
  };
  const items = value('--items', REFORM_STAFF);
  const counties = Math.min(value('--counties', REFORM_COUNTIES.length), REFORM_COUNTIES.length);
  const lanes = value('--lanes', 2);
  const adminUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const started = performance.now();
  const progress = (line: string) => process.stderr.write(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line.trimEnd()}\n`);
  Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });

  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
  const prefix = `fuusio_benchreform_${stamp}`;
  const outDir = join(findProjectRoot(), '.fuusio', 'bench');
  const runDir = join(outDir, `reform-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const template = `${prefix}_tpl`;
  const name = `${prefix}_db`;
  await ensurePostgresRunning(adminUrl);
  try {
    progress('PostgreSQL template and database');
    await createTemplate(adminUrl, template);
    const url = await cloneDatabase(adminUrl, template, name);
    progress('bundling the workflows');
    const bundlePath = join(runDir, 'fuusio-bundle.js');
    writeFileSync(bundlePath, (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger })).code);
    const r = await runReform({ items, counties, lanes, url, bundlePath, progress });
    writeFileSync(join(outDir, `reform-${stamp}.json`), JSON.stringify(r, null, 1));
    for (const line of formatRatios(reformRows(r))) process.stdout.write(`${line}\n`);
    process.stdout.write(`raw figures: ${join(outDir, `reform-${stamp}.json`)}\n`);
  } finally {
    await dropDatabases(adminUrl, [name], [template]).catch((e: Error) => progress(`cleanup: ${e.message}`));
    rmSync(runDir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((err: Error) => {
    process.stderr.write(`bench reform: ${err.stack ?? err.message}\n`);
    process.exit(1);
  });
}
