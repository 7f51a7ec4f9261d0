/** Closed and open load loops over a live arm, with the CPU each block costs. */
import type { LiveArm } from './arms/live';
import { TRACKED_CHANGES_PER_ONBOARDING } from './shape';
import { pidsNamed, processCpuSeconds } from './support';

export type CpuClock = () => { bench: number; temporal: number; postgres: number };

/** CPU seconds so far of this process, the Temporal dev server and every postgres process (the machine is shared: noisy). */
export function cpuClock(temporalPid: number | undefined): CpuClock {
  return () => {
    const u = process.cpuUsage();
    return {
      bench: (u.user + u.system) / 1e6,
      temporal: temporalPid ? processCpuSeconds(temporalPid) : 0,
      postgres: pidsNamed('postgres').reduce((sum, pid) => sum + processCpuSeconds(pid), 0),
    };
  };
}

export type LoadResult = {
  arm: string;
  mode: 'closed' | 'open';
  /** In flight (closed) or started per second (open). */
  level: number;
  rep: number;
  seconds: number;
  /**
   * Closed loop: onboardings per second in the steady state, i.e. tracked state changes committed in the
   * measured window (after the first fifth of the block) ÷ 16 per onboarding ÷ the window. Open loop:
   * completed onboardings ÷ the time from the first start to the last result.
   */
  perSecond: number;
  /** Closed loop: whole onboardings that ended inside the measured window, per second of it. */
  completedPerSecond: number;
  /** Onboardings started and ended (every one of them completed, unless counted in failures). */
  onboardings: number;
  /** Onboardings still in flight when the block ended, stopped by the bench (not failures). */
  stopped: number;
  failures: number;
  /** Tracked state changes the block committed, stopped onboardings included. */
  trackedChanges: number;
  latenciesMs: number[];
  cpuMsPerOnboarding: { bench: number; temporal: number; postgres: number; total: number };
};

const sleepUntil = (t: number) => new Promise((r) => setTimeout(r, Math.max(0, t - performance.now())));

function cpuPer(clock: CpuClock, before: ReturnType<CpuClock>, onboardings: number): LoadResult['cpuMsPerOnboarding'] {
  const after = clock();
  const per = (k: 'bench' | 'temporal' | 'postgres') => (onboardings > 0 ? ((after[k] - before[k]) * 1000) / onboardings : NaN);
  const r = { bench: per('bench'), temporal: per('temporal'), postgres: per('postgres') };
  return { ...r, total: r.bench + r.temporal + r.postgres };
}

/**
 * C lanes each running one onboarding after another for `seconds`; when the block ends the onboardings
 * still in flight are stopped (not drained, which at C=50 would take longer than the block). CPU is
 * divided by the onboardings' worth of work the block did (its tracked changes ÷ 16).
 */
export async function closedLoop(arm: LiveArm, concurrency: number, seconds: number, next: () => number, clock: CpuClock, rep: number): Promise<LoadResult> {
  const before = clock();
  const changesAtStart = await arm.trackedChanges();
  const t0 = performance.now();
  const from = t0 + seconds * 200;
  const end = t0 + seconds * 1000;
  let stopping = false;
  let completedInWindow = 0;
  let ran = 0;
  let failures = 0;
  const latenciesMs: number[] = [];
  const lane = async () => {
    while (!stopping && performance.now() < end) {
      const s = performance.now();
      try {
        await arm.drive(next());
        ran += 1;
        const e = performance.now();
        if (e >= from && e <= end) {
          completedInWindow += 1;
          latenciesMs.push(e - s);
        }
      } catch (err) {
        if (stopping) break;
        failures += 1;
        if (failures === 1) process.stderr.write(`\n${arm.name}: ${(err as Error).message}\n`);
      }
    }
  };
  const lanes = Promise.all(Array.from({ length: concurrency }, lane));
  await sleepUntil(from);
  const c0 = await arm.trackedChanges();
  const tFrom = performance.now();
  await sleepUntil(end);
  const c1 = await arm.trackedChanges();
  const window = (performance.now() - tFrom) / 1000;
  stopping = true;
  const stopped = await arm.abort();
  await lanes;
  const trackedChanges = (await arm.trackedChanges()) - changesAtStart;
  return {
    arm: arm.name, mode: 'closed', level: concurrency, rep, seconds,
    perSecond: (c1 - c0) / TRACKED_CHANGES_PER_ONBOARDING / window, completedPerSecond: completedInWindow / ((end - from) / 1000),
    onboardings: ran, stopped, failures, trackedChanges, latenciesMs,
    cpuMsPerOnboarding: cpuPer(clock, before, trackedChanges / TRACKED_CHANGES_PER_ONBOARDING),
  };
}

/**
 * Starts onboardings at a fixed rate for `seconds` whatever the earlier ones do; latency is start to
 * result. Onboardings not ended `graceSeconds` after the last start are stopped and counted as such.
 */
export async function openLoop(arm: LiveArm, rate: number, seconds: number, next: () => number, clock: CpuClock, rep: number, graceSeconds = 30): Promise<LoadResult> {
  const before = clock();
  const changesAtStart = await arm.trackedChanges();
  const t0 = performance.now();
  const total = Math.max(1, Math.round(rate * seconds));
  const latenciesMs: number[] = [];
  let failures = 0;
  let stopping = false;
  let lastEnd = t0;
  const runs: Promise<void>[] = [];
  for (let i = 0; i < total; i++) {
    await sleepUntil(t0 + (i * 1000) / rate);
    const s = performance.now();
    runs.push(arm.drive(next()).then(
      () => {
        lastEnd = performance.now();
        latenciesMs.push(lastEnd - s);
      },
      (err: Error) => {
        if (stopping) return;
        failures += 1;
        if (failures === 1) process.stderr.write(`\n${arm.name}: ${err.message}\n`);
      },
    ));
  }
  const all = Promise.all(runs);
  let stopped = 0;
  let timer: NodeJS.Timeout | undefined;
  const grace = new Promise<'late'>((r) => { timer = setTimeout(() => r('late'), graceSeconds * 1000); });
  const outcome = await Promise.race([all.then(() => 'done' as const), grace]);
  clearTimeout(timer);
  if (outcome === 'late') {
    stopping = true;
    stopped = await arm.abort();
    await all;
  }
  const trackedChanges = (await arm.trackedChanges()) - changesAtStart;
  return {
    arm: arm.name, mode: 'open', level: rate, rep, seconds: (lastEnd - t0) / 1000,
    perSecond: latenciesMs.length / ((lastEnd - t0) / 1000), completedPerSecond: latenciesMs.length / ((lastEnd - t0) / 1000),
    onboardings: latenciesMs.length, stopped, failures, trackedChanges, latenciesMs,
    cpuMsPerOnboarding: cpuPer(clock, before, trackedChanges / TRACKED_CHANGES_PER_ONBOARDING),
  };
}
