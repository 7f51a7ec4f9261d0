/**
 * `npm run bench [-- --quick] [--keep] [--temporal-address host:port] [--consolidation-100k]`
 *
 * Fuusio side by side with bare Temporal, raw PostgreSQL and DBOS on one machine, in one run:
 * W1 raw SQL, W2 bare Temporal, W3 Fuusio (service layer + real worker), W4 DBOS, W5 replay, W6 lists,
 * W7 worker memory, N1 the outbox (mail delivery, its cost per tracked step, deadline → SMTP), W8 one consolidation
 * of 1,000 and 10,000 items (100,000 with --consolidation-100k) driven to completed, W10 the 2023 reform (22 consolidations,
 * 220,000 staff references, on the time-skipping test server). Live arms are interleaved (rotating order, ≥3 repetitions); progress goes to stderr;
 * the ratios table to stdout; raw JSON and an SVG chart to .fuusio/bench/. Every run makes its own
 * databases (fuusio_bench_<ts>_*) and namespace on a dev server it starts, and removes them at the end.
 * See bench/README.md for what each arm measures.
 */
import 'reflect-metadata';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { ensureDatabase, ensurePostgresRunning } from '../infra/db/postgres';
import { ensureDevServer, findProjectRoot, findTemporalCli } from '../infra/temporal/provision';
import { workflowsPath } from '../libs/temporal/workflows-path';
import { bareArm, dbosArm, fuusioArm, type LiveArm } from './arms/live';
import { runLists, type ListResult } from './arms/lists';
import { runMemory, type MemoryResult } from './arms/memory';
import { runRaw, type RawResult } from './arms/raw';
import { runAuditWrites, type AuditWriteMode, type AuditWriteResult } from './arms/audit-writes';
import { runBundleVerify, type BundleVerifyResult } from './arms/bundle-verify';
import { generateVerifyTrail, runVerifyFull, type VerifyFullResult } from './arms/verify-full';
import { runSoak, type SoakResult } from './arms/soak';
import { runOutbox, type OutboxResult } from './arms/outbox';
import { runConsolidationScale, type ConsolidationScaleRun } from './arms/consolidation-scale';
import { runReform, type ReformRun } from './arms/reform';
import { fetchHistories, replay, upTo, type ReplayResult } from './arms/replay';
import { closedLoop, cpuClock, openLoop, type LoadResult } from './loops';
import { formatRatios, percentile, spread, type RatioRow } from './report';
import { buildRatios, chart } from './ratios';
import { BUSINESS_STEPS_PER_ONBOARDING, TRACKED_CHANGES_PER_ONBOARDING } from './shape';
import { cloneDatabase, commitsOf, commitsSince, createTemplate, dropDatabases, pidsNamed, withDatabase, type CommitCount } from './support';
import { freePort } from '../infra/provision/net';

export type Sizes = {
  repetitions: number; closedLevels: number[]; closedSeconds: number; openSeconds: number; rawOnboardings: number;
  replayHistories: number; replayRepetitions: number; listRows: number; listRepetitions: number; memoryLevels: number[];
  soakSeconds: number; soakSampleSeconds: number;
  outboxMessages: number; outboxTrackWrites: number; outboxDeadlines: number;
  /** W9: concurrent audit writers per level, seconds per block, repetitions. */
  auditWriters: number[]; auditSeconds: number; auditRepetitions: number; auditInTransaction: boolean;
  /** A1: events in the generated audit bundle the offline verifier checks, repetitions. */
  bundleEvents: number; bundleRepetitions: number;
  /** V1: events in the generated audit trail a full verify reads, repetitions of the verify. */
  verifyEvents: number; verifyRepetitions: number;
  /** W8: the staff references of each consolidation driven to completed (one run each, on a database of its own). */
  consolidationItems: number[];
  /** W10: the 2023 reform's staff references, its counties (the first n of the 22) and how many are driven at a time. */
  reformItems: number; reformCounties: number; reformLanes: number;
};

export const FULL: Sizes = {
  repetitions: 3, closedLevels: [10, 50], closedSeconds: 10, openSeconds: 6, rawOnboardings: 100,
  replayHistories: 1000, replayRepetitions: 1, listRows: 1_000_000, listRepetitions: 30, memoryLevels: [250, 500, 1000],
  soakSeconds: 600, soakSampleSeconds: 10,
  outboxMessages: 500, outboxTrackWrites: 200, outboxDeadlines: 20,
  auditWriters: [1, 4, 16, 64], auditSeconds: 3, auditRepetitions: 3, auditInTransaction: true,
  bundleEvents: 10_000, bundleRepetitions: 3,
  verifyEvents: 200_000, verifyRepetitions: 3,
  consolidationItems: [1_000, 10_000],
  reformItems: 220_000, reformCounties: 22, reformLanes: 2,
};
export const QUICK: Sizes = {
  repetitions: 3, closedLevels: [3], closedSeconds: 2.5, openSeconds: 1.5, rawOnboardings: 6,
  replayHistories: 10, replayRepetitions: 1, listRows: 5_000, listRepetitions: 5, memoryLevels: [2, 4],
  soakSeconds: 12, soakSampleSeconds: 2,
  outboxMessages: 10, outboxTrackWrites: 5, outboxDeadlines: 3,
  // 64 writers would take 64 of the shared server's connections while the test suite runs beside it.
  auditWriters: [1, 4, 16], auditSeconds: 0.3, auditRepetitions: 1, auditInTransaction: false,
  bundleEvents: 500, bundleRepetitions: 1,
  verifyEvents: 2_000, verifyRepetitions: 1,
  consolidationItems: [300],
  reformItems: 300, reformCounties: 3, reformLanes: 2,
};

export type BenchOptions = {
  quick: boolean; keep: boolean; adminUrl: string;
  /** W8 also drives a consolidation of 100,000 items (full bench only: minutes). */
  consolidation100k: boolean; temporalAddress?: string; outDir: string;
  print: (line: string) => void; progress: (line: string) => void;
};

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const tty = process.stderr.isTTY;
  return {
    quick: argv.includes('--quick'),
    keep: argv.includes('--keep'),
    consolidation100k: argv.includes('--consolidation-100k'),
    adminUrl: env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    temporalAddress: value('--temporal-address'),
    outDir: value('--out') ?? join(findProjectRoot(), '.fuusio', 'bench'),
    print: (line) => process.stdout.write(`${line}\n`),
    progress: (line) => process.stderr.write(tty ? `\r\x1b[K${line}` : `${line}\n`),
  };
}

const quietLogger = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

async function postgresSettings(adminUrl: string): Promise<Record<string, string>> {
  const c = new Client({ connectionString: adminUrl });
  await c.connect();
  try {
    const r = await c.query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings WHERE name = ANY($1)`,
      [['server_version', 'shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method', 'max_connections', 'work_mem', 'effective_cache_size', 'full_page_writes', 'commit_delay']],
    );
    return Object.fromEntries(r.rows.map((row) => [row.name, row.unit ? `${row.setting} ${row.unit}` : row.setting]));
  } finally {
    await c.end();
  }
}

function versionOf(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(require.resolve(`${pkg}/package.json`), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

export type BenchReport = {
  startedAt: string; seconds: number; quick: boolean; sizes: Sizes; machine: Record<string, unknown>;
  raw: Array<RawResult & { rep: number }>; live: LoadResult[]; openRate: number;
  commits: Record<string, { commits: number; sessions: number; benchStatements: number; onboardings: number; perBusinessStep: number }>;
  historyEvents: Record<string, number>; replay: Array<ReplayResult & { rep: number }>; lists: ListResult; memory: MemoryResult; soak: SoakResult;
  outbox: OutboxResult;
  auditWrites: AuditWriteResult[];
  bundleVerify: BundleVerifyResult[];
  verifyFull: VerifyFullResult[];
  consolidations: ConsolidationScaleRun[];
  reform: ReformRun;
  ratios: RatioRow[]; files: { json: string; svg: string };
};

export async function runBench(opts: BenchOptions): Promise<BenchReport> {
  const base = opts.quick ? QUICK : FULL;
  const sizes = { ...base, consolidationItems: [...base.consolidationItems, ...(opts.consolidation100k && !opts.quick ? [100_000] : [])] };
  const started = performance.now();
  const stamp = new Date().toISOString().replace(/[-:.TZ]/g, '').slice(0, 14);
  const prefix = `fuusio_bench_${stamp}`;
  const runDir = join(opts.outDir, `run-${stamp}`);
  mkdirSync(runDir, { recursive: true });
  const step = (line: string) => opts.progress(`[${((performance.now() - started) / 1000).toFixed(0).padStart(4)} s] ${line}`);
  try {
    // ERROR: stopping in-flight workflows at the end of a block makes the SDK warn about tasks it can no longer complete.
    Runtime.install({ logger: new DefaultLogger('ERROR'), telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' } } } });
  } catch {
    // already installed in this process
  }

  // ------------------------------------------------------------------ environment
  step('PostgreSQL and databases');
  await ensurePostgresRunning(opts.adminUrl);
  const templateName = `${prefix}_tpl`;
  const names = { w1: `${prefix}_w1`, w2: `${prefix}_w2`, w3: `${prefix}_w3`, w4: `${prefix}_w4`, w4sys: `${prefix}_w4sys`, w6: `${prefix}_w6`, w7f: `${prefix}_w7f`, w7b: `${prefix}_w7b`, soak: `${prefix}_soak`, w8: `${prefix}_w8`, w9: `${prefix}_w9`, v1: `${prefix}_v1` };
  const created: string[] = [];
  let server: { address: string; started: boolean; stop(): Promise<void> } | undefined;
  const namespace = `bench-${stamp}`;
  const dataDir = join(runDir, 'temporal');
  const serverLog: string[] = [];
  const closers: Array<() => Promise<void>> = [];
  let cleaned = false;
  const cleanup = async () => {
    if (cleaned) return;
    cleaned = true;
    for (const close of closers.reverse()) await close().catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
    if (!opts.keep) {
      await dropDatabases(opts.adminUrl, created, [templateName]).catch((e: Error) => process.stderr.write(`cleanup: ${e.message}\n`));
      await server?.stop().catch(() => undefined);
      if (server?.started) rmSync(dataDir, { recursive: true, force: true });
      rmSync(runDir, { recursive: true, force: true });
    }
  };
  // Ctrl-C still removes the databases and stops the dev server.
  const onSignal = () => {
    process.stderr.write('\nbench: interrupted, cleaning up\n');
    void cleanup().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    await createTemplate(opts.adminUrl, templateName);
    const db: Record<keyof typeof names, { url: string; name: string }> = {} as never;
    for (const [k, name] of Object.entries(names) as Array<[keyof typeof names, string]>) {
      created.push(name);
      db[k] = k === 'w4sys'
        ? await ensureDatabase(withDatabase(opts.adminUrl, name)).then(() => ({ url: withDatabase(opts.adminUrl, name), name }))
        : { url: await cloneDatabase(opts.adminUrl, templateName, name), name };
    }

    step('Temporal dev server');
    const address = opts.temporalAddress ?? `127.0.0.1:${await freePort()}`;
    server = await ensureDevServer({ address, namespaces: [namespace], headless: true, dataDir, log: (m) => serverLog.push(m) });
    const temporalPid = pidsNamed('temporal').find((pid) => {
      try {
        return readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(String(address.split(':')[1]));
      } catch {
        return false;
      }
    });
    const connection = await Connection.connect({ address });
    closers.push(() => connection.close());
    const client = new TemporalClient({ connection, namespace });
    const cli = await findTemporalCli().catch(() => 'temporal');
    const machine = {
      cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryBytes: totalmem(), os: `${osType()} ${release()}`, node: process.version,
      temporalSdk: versionOf('@temporalio/worker'), dbosSdk: versionOf('@dbos-inc/dbos-sdk'), pg: versionOf('pg'),
      temporalCli: (() => { try { return execFileSync(cli, ['--version'], { encoding: 'utf8' }).trim(); } catch { return 'unknown'; } })(),
      devServer: { address, reused: !server.started, command: serverLog.find((l) => l.startsWith('starting')) ?? serverLog.join('; ') },
      postgres: await postgresSettings(opts.adminUrl),
      note: 'Temporal dev server persists to SQLite (not PostgreSQL); its CPU is counted, its writes are not in pg_stat_database',
    };

    step('bundling the Fuusio and the bare workflows');
    const fuusioBundle = (await bundleWorkflowCode({ workflowsPath: workflowsPath(), logger: quietLogger })).code;
    const bareBundle = (await bundleWorkflowCode({ workflowsPath: require.resolve('./bare/workflows'), logger: quietLogger })).code;
    const fuusioBundlePath = join(runDir, 'fuusio-bundle.js');
    const bareBundlePath = join(runDir, 'bare-bundle.js');
    writeFileSync(fuusioBundlePath, fuusioBundle);
    writeFileSync(bareBundlePath, bareBundle);

    // ------------------------------------------------------------------ W1 raw SQL
    const raw: Array<RawResult & { rep: number }> = [];
    const w1Before = await commitsOf(opts.adminUrl, names.w1);
    let rawN = 0;
    for (let rep = 1; rep <= sizes.repetitions; rep++) {
      for (const connections of rep % 2 ? [1, 16] : [16, 1]) {
        step(`W1 raw SQL rep ${rep}/${sizes.repetitions}: ${connections} connection(s), ${sizes.rawOnboardings} onboardings`);
        raw.push({ ...(await runRaw(db.w1.url, connections, sizes.rawOnboardings, rawN)), rep });
        rawN += sizes.rawOnboardings;
      }
    }
    const w1Commits = commitsSince(w1Before, await commitsOf(opts.adminUrl, names.w1));

    // ------------------------------------------------------------------ W9 audit writes
    const auditWrites: AuditWriteResult[] = [];
    for (let rep = 1; rep <= sizes.auditRepetitions; rep++) {
      for (const writers of sizes.auditWriters) {
        const modes: AuditWriteMode[] = sizes.auditInTransaction ? ['tracked', 'raw', 'tracked-tx'] : ['tracked', 'raw'];
        for (const mode of rep % 2 ? modes : [...modes].reverse()) {
          const r = await runAuditWrites(db.w9.url, writers, sizes.auditSeconds, mode, rep);
          auditWrites.push(r);
          step(`W9 audit writes rep ${rep}/${sizes.auditRepetitions}: ${writers} writer(s), ${mode} ${r.perSecond.toFixed(0)}/s\n`);
        }
      }
    }

    // ------------------------------------------------------------------ A1 offline bundle verification
    const bundleVerify: BundleVerifyResult[] = [];
    for (let rep = 1; rep <= sizes.bundleRepetitions; rep++) {
      const r = runBundleVerify(sizes.bundleEvents, rep);
      bundleVerify.push(r);
      step(`A1 offline verify rep ${rep}/${sizes.bundleRepetitions}: ${r.events} events in ${r.seconds.toFixed(2)} s, ${r.eventsPerSecond.toFixed(0)} events/s\n`);
    }

    // ------------------------------------------------------------------ V1 full verify of the audit trail
    const generated = await generateVerifyTrail(db.v1.url, sizes.verifyEvents);
    step(`V1 generated ${sizes.verifyEvents} chained events in ${generated.seconds.toFixed(1)} s\n`);
    const verifyFull: VerifyFullResult[] = [];
    for (let rep = 1; rep <= sizes.verifyRepetitions; rep++) {
      const r = await runVerifyFull(db.v1.url, rep, (p) => {
        if (p.phase !== 'done') step(`V1 full verify rep ${rep}/${sizes.verifyRepetitions}: ${p.phase} ${p.done}/${p.total}`);
      });
      verifyFull.push(r);
      step(`V1 full verify rep ${rep}/${sizes.verifyRepetitions}: ${r.events} events in ${r.seconds.toFixed(2)} s, ${r.eventsPerSecond.toFixed(0)} events/s\n`);
    }

    // ------------------------------------------------------------------ W2, W3, W4 live
    step('starting the W2 bare worker, the W3 Fuusio worker and DBOS');
    const before: Record<string, CommitCount> = {
      W2: await commitsOf(opts.adminUrl, names.w2), W3: await commitsOf(opts.adminUrl, names.w3),
      W4: await commitsOf(opts.adminUrl, names.w4), W4sys: await commitsOf(opts.adminUrl, names.w4sys),
    };
    const arms: LiveArm[] = [
      await bareArm({ address, namespace }, db.w2, bareBundle),
      await fuusioArm({ address, namespace }, db.w3, fuusioBundle),
      await dbosArm(db.w4, db.w4sys),
    ];
    let armsOpen = true;
    const closeArms = async () => {
      if (!armsOpen) return;
      armsOpen = false;
      for (const arm of arms) await arm.close();
    };
    closers.push(closeArms);
    const counters: Record<string, number> = { W2: 0, W3: 0, W4: 0 };
    const next = (arm: LiveArm) => () => counters[arm.name]!++;
    const clock = cpuClock(temporalPid);
    const live: LoadResult[] = [];
    const order = (rep: number) => arms.map((_, i) => arms[(i + rep) % arms.length] as LiveArm);

    // One warm-up onboarding per arm (bundles loaded, connections open) before anything is measured.
    for (const arm of arms) {
      step(`warm-up: one ${arm.label} onboarding`);
      await arm.drive(next(arm)());
    }
    for (let rep = 1; rep <= sizes.repetitions; rep++) {
      for (const level of sizes.closedLevels) {
        for (const arm of order(rep)) {
          step(`closed loop rep ${rep}/${sizes.repetitions}, C=${level}: ${arm.name} ${arm.label}`);
          const r = await closedLoop(arm, level, sizes.closedSeconds, next(arm), clock, rep);
          live.push(r);
          step(`closed loop rep ${rep}/${sizes.repetitions}, C=${level}: ${arm.name} ${r.perSecond.toFixed(2)} onboardings/s `
            + `(${r.completedPerSecond.toFixed(2)}/s whole ones), p95 ${percentile(r.latenciesMs, 0.95).toFixed(0)} ms, ${r.stopped} stopped\n`);
        }
      }
    }
    // Open loop at half of W2's best closed-loop throughput (median over repetitions).
    const w2Best = Math.max(...sizes.closedLevels.map((level) => spread(live.filter((r) => r.arm === 'W2' && r.level === level).map((r) => r.perSecond)).median));
    const openRate = Math.max(0.5, Math.round(w2Best * 5) / 10);
    for (let rep = 1; rep <= sizes.repetitions; rep++) {
      for (const arm of order(rep)) {
        step(`open loop rep ${rep}/${sizes.repetitions}, ${openRate}/s: ${arm.name} ${arm.label}`);
        const r = await openLoop(arm, openRate, sizes.openSeconds, next(arm), clock, rep);
        live.push(r);
        step(`open loop rep ${rep}/${sizes.repetitions}: ${arm.name} p50 ${percentile(r.latenciesMs, 0.5).toFixed(0)} ms, p95 ${percentile(r.latenciesMs, 0.95).toFixed(0)} ms\n`);
      }
    }
    const completedIds = Object.fromEntries(arms.map((a) => [a.name, [...a.completed]]));
    const tracked: Record<string, number> = {};
    for (const arm of arms) tracked[arm.name] = await arm.trackedChanges();
    const benchStatements = Object.fromEntries(arms.map((a) => [a.name, a.benchStatements()]));
    step('closing the live arms (their connections flush their statistics)');
    await closeArms();
    await new Promise((r) => setTimeout(r, 500));
    const commits: BenchReport['commits'] = {};
    // Stopped onboardings did part of their steps: an arm's business steps are its tracked changes × 20/16.
    const perStep = (c: number, onboardings: number) => c / (onboardings * BUSINESS_STEPS_PER_ONBOARDING);
    const worth = (name: string) => (tracked[name] ?? NaN) / TRACKED_CHANGES_PER_ONBOARDING;
    commits.W1 = { ...w1Commits, benchStatements: 0, onboardings: rawN, perBusinessStep: perStep(w1Commits.commits - w1Commits.sessions, rawN) };
    for (const name of ['W2', 'W3', 'W4'] as const) {
      const own = commitsSince(before[name] as CommitCount, await commitsOf(opts.adminUrl, names[name === 'W2' ? 'w2' : name === 'W3' ? 'w3' : 'w4']));
      const sys = name === 'W4' ? commitsSince(before.W4sys as CommitCount, await commitsOf(opts.adminUrl, names.w4sys)) : { commits: 0, sessions: 0 };
      const c = { commits: own.commits + sys.commits, sessions: own.sessions + sys.sessions };
      const bench = benchStatements[name] ?? 0;
      commits[name] = { ...c, benchStatements: bench, onboardings: worth(name), perBusinessStep: perStep(c.commits - c.sessions - bench, worth(name)) };
    }
    const historyEvents: Record<string, number> = {};
    for (const name of ['W2', 'W3']) {
      const id = completedIds[name]?.[0];
      if (id) historyEvents[name] = (await client.workflow.getHandle(id).fetchHistory()).events?.length ?? NaN;
    }

    // ------------------------------------------------------------------ W5 replay
    const w3Ids = completedIds.W3 ?? [];
    const recorded = await fetchHistories(client, w3Ids.slice(0, sizes.replayHistories), (n) => step(`W5 replay: fetching histories ${n}/${Math.min(w3Ids.length, sizes.replayHistories)}`));
    const histories = upTo(recorded, sizes.replayHistories);
    const replays: Array<ReplayResult & { rep: number }> = [];
    const parallel = Math.max(2, cpus().length);
    for (let rep = 1; rep <= sizes.replayRepetitions; rep++) {
      for (const replayers of rep % 2 ? [1, parallel] : [parallel, 1]) {
        step(`W5 replay rep ${rep}/${sizes.replayRepetitions}: ${histories.length} histories, ${replayers} replayer(s)`);
        replays.push({ ...(await replay(histories, fuusioBundle, replayers)), rep });
      }
    }

    // ------------------------------------------------------------------ W7 memory
    step('W7 memory: starting one worker process per arm');
    const memory = await runMemory({
      levels: sizes.memoryLevels, client, address, namespace,
      fuusio: { url: db.w7f.url, bundlePath: fuusioBundlePath }, bare: { url: db.w7b.url, bundlePath: bareBundlePath }, progress: step,
    });

    // ------------------------------------------------------------------ W6 lists
    const lists = await runLists(db.w6.url, sizes.listRows, sizes.listRepetitions, client, step);

    // ------------------------------------------------------------------ soak
    step(`soak: the API and worker programs for ${sizes.soakSeconds} s at ${openRate}/s`);
    const soak = await runSoak({
      dbUrl: db.soak.url, temporalAddress: address, namespace, bundlePath: fuusioBundlePath, apiPort: await freePort(),
      seconds: sizes.soakSeconds, rate: openRate, sampleEverySeconds: sizes.soakSampleSeconds, progress: step,
    });
    // ------------------------------------------------------------------ N1 outbox
    const outbox = await runOutbox({
      dbUrl: db.w8.url, address, namespace, bundleCode: fuusioBundle, progress: step,
      sizes: { outboxMessages: sizes.outboxMessages, trackWrites: sizes.outboxTrackWrites, deadlines: sizes.outboxDeadlines, repetitions: sizes.repetitions },
    });
    // ------------------------------------------------------------------ W8 consolidations at scale
    const consolidations: ConsolidationScaleRun[] = [];
    for (const items of sizes.consolidationItems) {
      step(`W8 consolidation: ${items} items`);
      // Each run ends centres and moves areas for good: a fresh clone of the template per size.
      const name = `${prefix}_w10_${items}`;
      created.push(name);
      const url = await cloneDatabase(opts.adminUrl, templateName, name);
      const r = await runConsolidationScale({ items, url, client, address, namespace, bundlePath: fuusioBundlePath, progress: step });
      consolidations.push(r);
      step(`W8 consolidation: ${items} items ${r.status} in ${r.seconds.toFixed(1)} s (${r.itemsPerSecond.toFixed(0)} items/s), `
        + `largest history ${r.largestHistoryEvents} events\n`);
    }
    // ------------------------------------------------------------------ W10 the 2023 reform
    step(`W10 reform: ${sizes.reformCounties} consolidations, ${sizes.reformItems} items, on the time-skipping test server`);
    const reformDb = `${prefix}_reform`;
    created.push(reformDb);
    const reform = await runReform({
      items: sizes.reformItems, counties: sizes.reformCounties, lanes: sizes.reformLanes,
      url: await cloneDatabase(opts.adminUrl, templateName, reformDb), bundlePath: fuusioBundlePath, progress: step,
    });
    step('measurements done\n');

    // ------------------------------------------------------------------ ratios
    const ratios = buildRatios({
      sizes, raw, live, commits, replays, lists, memory, soak, outbox, historyEvents, openRate, recorded: recorded.length, auditWrites, bundleVerify, verifyFull,
      consolidations, reform,
    });
    const seconds = (performance.now() - started) / 1000;
    const file = join(opts.outDir, `bench-${stamp}.json`);
    const svgFile = join(opts.outDir, `bench-${stamp}.svg`);
    const report: BenchReport = {
      startedAt: new Date(Date.now() - seconds * 1000).toISOString(), seconds, quick: opts.quick, sizes, machine,
      raw, live, openRate, commits, historyEvents, replay: replays, lists, memory, soak, outbox, auditWrites, bundleVerify, verifyFull, consolidations, reform,
      ratios, files: { json: file, svg: svgFile },
    };
    writeFileSync(svgFile, chart(report));
    writeFileSync(file, JSON.stringify(report, null, 1));
    opts.print(`Fuusio bench${opts.quick ? ' (--quick: tiny sizes, figures are not meaningful)' : ''}: ${machine.cpus} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, `
      + `Node ${process.version}, Temporal SDK ${machine.temporalSdk}, PostgreSQL ${machine.postgres.server_version ?? '?'} `
      + `(synchronous_commit=${machine.postgres.synchronous_commit}, fsync=${machine.postgres.fsync}, shared_buffers=${machine.postgres.shared_buffers})`);
    opts.print(`${sizes.repetitions} repetitions, interleaved; closed loop C ∈ {${sizes.closedLevels.join(', ')}} for ${sizes.closedSeconds} s each; open loop ${openRate}/s for ${sizes.openSeconds} s`);
    for (const line of formatRatios(ratios)) opts.print(line);
    opts.print(`raw figures: ${file}`);
    opts.print(`chart: ${svgFile}`);
    opts.print(`bench took ${seconds.toFixed(0)} s`);
    return report;
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    await cleanup();
  }
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  runBench(opts).then(
    () => process.exit(0),
    (err: Error) => {
      process.stderr.write(`\nbench: ${err.stack ?? err.message}\n`);
      process.exit(1);
    },
  );
}
