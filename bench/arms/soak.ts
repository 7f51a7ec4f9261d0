import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findProjectRoot } from '../../infra/temporal/provision';
import { createPool } from '../../libs/db/pool';
import { TokenRepository } from '../../libs/db/repositories/token.repository';
import { businessIdCheckDigit } from '../../libs/domain/business-id';
import { type Applicant, driveOnboarding, httpCaller } from '../http-onboarding';
import { waitForHttp } from '../../infra/provision/net';

/**
 * The soak: the API and the worker programs as processes (as `npm start` runs them), onboardings driven
 * over HTTP at an open-loop rate for a long time, the processes' resident memory and the database's
 * connections sampled as it goes. A leak shows as a slope; flat is what we want.
 */

export type SoakSample = { seconds: number; apiMb: number; workerMb: number; connections: number };
export type SoakResult = {
  seconds: number; rate: number; launched: number; completed: number; failed: number;
  samples: SoakSample[]; slopes: { apiMbPerMinute: number; workerMbPerMinute: number; connectionsPerMinute: number };
};

export type SoakOptions = {
  dbUrl: string; temporalAddress: string; namespace: string; bundlePath: string; apiPort: number;
  seconds: number; rate: number; sampleEverySeconds: number; progress: (line: string) => void;
};

const ROOT = findProjectRoot();

export async function runSoak(o: SoakOptions): Promise<SoakResult> {
  const env = {
    ...process.env, DATABASE_URL: o.dbUrl, TEMPORAL_ADDRESS: o.temporalAddress, TEMPORAL_NAMESPACE: o.namespace,
    TEMPORAL_TASK_QUEUE: `soak-${process.pid}`, FUUSIO_WORKFLOW_BUNDLE: o.bundlePath, PORT: String(o.apiPort),
    LOG_LEVEL: 'warn', LOG_FORMAT: 'json', FUUSIO_RATE_LIMIT: '1000000',
  };
  const start = (app: string) => spawn(process.execPath, [join(ROOT, 'dist', 'apps', app, 'main.js')], { env, stdio: ['ignore', 'ignore', 'inherit'] });
  const worker = start('worker');
  const api = start('api');
  const pool = createPool(o.dbUrl, 2);
  const dbName = decodeURIComponent(new URL(o.dbUrl).pathname.slice(1));
  const stats = new Client({ connectionString: o.dbUrl });
  await stats.connect();
  try {
    const base = `http://127.0.0.1:${o.apiPort}`;
    await waitForHttp(`${base}/readyz`);
    const token = (await new TokenRepository().create(pool, { name: 'soak', role: 'admin', organisation: null })).token;
    const call = httpCaller(base, token);
    const applicants = applicantSource();

    const samples: SoakSample[] = [];
    const t0 = performance.now();
    const elapsed = () => (performance.now() - t0) / 1000;
    const sample = async () => {
      const connections = Number((await stats.query<{ n: string }>('SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1', [dbName])).rows[0]?.n);
      samples.push({ seconds: elapsed(), apiMb: rssMb(api), workerMb: rssMb(worker), connections });
    };
    let launched = 0;
    let completed = 0;
    let failed = 0;
    const inFlight = new Set<Promise<void>>();
    const launch = () => {
      launched += 1;
      const run: Promise<void> = driveOnboarding(call, applicants(), 2, 120_000).then(() => { completed += 1; }, () => { failed += 1; });
      inFlight.add(run);
      void run.finally(() => inFlight.delete(run));
    };
    await sample();
    let nextSample = o.sampleEverySeconds;
    // Open loop: launches on the clock, whether or not the earlier ones have finished.
    for (let due = 0; elapsed() < o.seconds; due += 1 / o.rate) {
      const wait = due - elapsed();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait * 1000));
      launch();
      if (elapsed() >= nextSample) {
        await sample();
        nextSample += o.sampleEverySeconds;
        o.progress(`soak ${elapsed().toFixed(0)}/${o.seconds} s: ${launched} launched, ${completed} completed, API ${samples.at(-1)?.apiMb.toFixed(0)} MB, `
          + `worker ${samples.at(-1)?.workerMb.toFixed(0)} MB, ${samples.at(-1)?.connections} connections`);
      }
    }
    await Promise.all([...inFlight]);
    await sample();
    // The first fifth is warm-up (JIT, caches, pools filling); the slope is taken over the rest.
    const steady = samples.filter((s) => s.seconds >= o.seconds / 5);
    return {
      seconds: o.seconds, rate: o.rate, launched, completed, failed, samples,
      slopes: {
        apiMbPerMinute: slope(steady.map((s) => [s.seconds / 60, s.apiMb])),
        workerMbPerMinute: slope(steady.map((s) => [s.seconds / 60, s.workerMb])),
        connectionsPerMinute: slope(steady.map((s) => [s.seconds / 60, s.connections])),
      },
    };
  } finally {
    await stats.end();
    await pool.end();
    for (const child of [api, worker]) await stop(child);
  }
}

/** Least-squares slope of y over x; 0 for fewer than two points. */
export function slope(points: Array<[number, number]>): number {
  if (points.length < 2) return 0;
  const n = points.length;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const sxx = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return sxx === 0 ? 0 : points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0) / sxx;
}

function rssMb(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? NaN) / 1024;
}

/** Fresh valid business IDs in 7xxxxxx (the demo uses 9xxxxxx, the tests 8xxxxxx). */
function applicantSource(): () => Applicant {
  let n = 7_000_000 + (process.pid % 1000) * 900;
  return () => {
    for (;;) {
      n += 1;
      const check = businessIdCheckDigit(String(n));
      if (check !== null) return { name: `Kestävyys ry ${n}`, businessId: `${n}-${check}` };
    }
  };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
  if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
