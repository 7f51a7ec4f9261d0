/** From the raw figures to the closing table's rows and the chart's bars. */
import type { AuditWriteResult } from './arms/audit-writes';
import type { BundleVerifyResult } from './arms/bundle-verify';
import type { VerifyFullResult } from './arms/verify-full';
import type { ListResult } from './arms/lists';
import type { MemoryResult } from './arms/memory';
import type { RawResult } from './arms/raw';
import type { ReplayResult } from './arms/replay';
import type { SoakResult } from './arms/soak';
import type { OutboxResult } from './arms/outbox';
import type { ReformRun } from './arms/reform';
import type { ConsolidationScaleRun } from './arms/consolidation-scale';
import type { BenchReport, Sizes } from './index';
import type { LoadResult } from './loops';
import { percentile, spread, svgChart, type RatioRow } from './report';

/** Per repetition r: arm A's figure of rep r ÷ arm B's of rep r; then median, min, max over repetitions. */
function pairRatios(live: LoadResult[], a: string, b: string, mode: 'closed' | 'open', level: number | undefined, pick: (r: LoadResult) => number): number[] {
  const of = (arm: string) => live.filter((r) => r.arm === arm && r.mode === mode && (level === undefined || r.level === level));
  const bs = of(b);
  return of(a).map((ra) => {
    const rb = bs.find((x) => x.rep === ra.rep);
    return rb ? pick(ra) / pick(rb) : NaN;
  });
}

export function buildRatios(x: {
  sizes: Sizes; raw: Array<RawResult & { rep: number }>; live: LoadResult[]; commits: BenchReport['commits'];
  replays: Array<ReplayResult & { rep: number }>; lists: ListResult; memory: MemoryResult; soak: SoakResult; outbox: OutboxResult; historyEvents: Record<string, number>; openRate: number; recorded: number;
  auditWrites: AuditWriteResult[]; bundleVerify: BundleVerifyResult[]; verifyFull: VerifyFullResult[]; consolidations: ConsolidationScaleRun[]; reform: ReformRun;
}): RatioRow[] {
  const rows: RatioRow[] = [];
  const tput = (r: LoadResult) => r.perSecond;
  const p95 = (r: LoadResult) => percentile(r.latenciesMs, 0.95);
  const p50 = (r: LoadResult) => percentile(r.latenciesMs, 0.5);
  const cpu = (r: LoadResult) => r.cpuMsPerOnboarding.total;
  const top = Math.max(...x.sizes.closedLevels);
  for (const level of x.sizes.closedLevels) {
    const v = spread(pairRatios(x.live, 'W3', 'W2', 'closed', level, tput));
    rows.push({ metric: `throughput Fuusio ÷ bare Temporal, C=${level}`, value: v, target: '≥ 0.90', met: v.median >= 0.9 });
  }
  const lat = spread(pairRatios(x.live, 'W3', 'W2', 'open', undefined, p95));
  rows.push({ metric: `latency p95 Fuusio ÷ bare, open loop ${x.openRate}/s`, value: lat, target: '≤ 1.25', met: lat.median <= 1.25 });
  rows.push({ metric: 'latency p50 Fuusio ÷ bare, open loop', value: spread(pairRatios(x.live, 'W3', 'W2', 'open', undefined, p50)) });
  const cpuRatio = spread(pairRatios(x.live, 'W3', 'W2', 'closed', top, cpu));
  rows.push({ metric: `CPU per workflow Fuusio ÷ bare, C=${top}`, value: cpuRatio, target: '≤ 1.2', met: cpuRatio.median <= 1.2 });
  for (const level of x.sizes.closedLevels) rows.push({ metric: `throughput Fuusio ÷ DBOS, C=${level}`, value: spread(pairRatios(x.live, 'W3', 'W4', 'closed', level, tput)) });
  rows.push({ metric: 'latency p95 Fuusio ÷ DBOS, open loop', value: spread(pairRatios(x.live, 'W3', 'W4', 'open', undefined, p95)) });
  rows.push({ metric: `CPU per workflow Fuusio ÷ DBOS, C=${top}`, value: spread(pairRatios(x.live, 'W3', 'W4', 'closed', top, cpu)) });
  const raw16 = x.raw.filter((r) => r.connections === 16);
  rows.push({
    metric: `throughput Fuusio C=${top} ÷ raw SQL 16 conns`,
    value: spread(x.live.filter((r) => r.arm === 'W3' && r.mode === 'closed' && r.level === top).map((r) => r.perSecond / (raw16.find((w) => w.rep === r.rep)?.perSecond ?? NaN))),
  });
  for (const arm of ['W1', 'W2', 'W3', 'W4']) {
    const c = x.commits[arm];
    const v = c?.perBusinessStep ?? NaN;
    rows.push({ metric: `PostgreSQL commits per business step, ${arm}`, value: { median: v, min: v, max: v }, ...(arm === 'W3' ? { target: '≤ 1', met: v <= 1 } : {}) });
  }
  for (const arm of ['W2', 'W3']) {
    const v = x.historyEvents[arm] ?? NaN;
    rows.push({ metric: `history events per onboarding, ${arm}`, value: { median: v, min: v, max: v } });
  }
  const live = spread(x.live.filter((r) => r.arm === 'W3' && r.mode === 'closed' && r.level === top).map(tput));
  for (const mode of ['one', 'parallel'] as const) {
    const reps = x.replays.filter((r) => r.mode === mode);
    const v = spread(reps.map((r) => r.historiesPerSecond / live.median));
    rows.push({ metric: `replay ÷ live Fuusio (histories/s), ${mode === 'one' ? '1 replayer' : `${reps[0]?.replayers ?? '?'} replayers`}`, value: v, target: '≥ 20', met: v.median >= 20 });
    rows.push({ metric: `replay events/s, ${mode === 'one' ? '1 replayer' : 'parallel'}`, value: spread(reps.map((r) => r.eventsPerSecond)) });
  }
  const mb = (b: number) => b / 2 ** 20;
  for (const arm of ['fuusio', 'bare'] as const) {
    const v = mb(x.memory.bytesPerWorkflow[arm]);
    rows.push({ metric: `worker MB per cached waiting workflow, ${arm}`, value: { median: v, min: v, max: v }, ...(arm === 'fuusio' ? { target: '≤ 1', met: v <= 1 } : {}) });
  }
  const memRatio = x.memory.bytesPerWorkflow.fuusio / x.memory.bytesPerWorkflow.bare;
  rows.push({ metric: 'worker memory per waiting workflow Fuusio ÷ bare', value: { median: memRatio, min: memRatio, max: memRatio } });
  const l = x.lists;
  rows.push({ metric: `list p95 db ms at ${l.rows.toLocaleString('en')} rows (keyset)`, value: { median: l.pgDbMs.p95, min: Math.min(...l.pgDbMs.samples), max: Math.max(...l.pgDbMs.samples) }, target: '≤ 2', met: l.pgDbMs.p95 <= 2 });
  const one = (v: number) => ({ median: v, min: v, max: v });
  const listRatio = l.temporalMs.p95 / l.pgRoundTripMs.p95;
  rows.push({ metric: 'Temporal list ÷ projection list, p95 round trip', value: one(listRatio), target: '≥ 10', met: listRatio >= 10 });
  rows.push({ metric: 'Temporal list ÷ projection list, median round trip', value: one(l.temporalMs.median / l.pgRoundTripMs.median) });
  // Flat within what a 10-minute run can tell apart from noise: under 1 MB a minute (10 MB over the soak),
  // no connection gained in ten minutes.
  const soak = x.soak;
  rows.push({ metric: `soak ${soak.seconds} s at ${soak.rate}/s: onboardings completed of launched`, value: one(soak.completed / Math.max(1, soak.launched)), target: '= 1', met: soak.completed === soak.launched });
  rows.push({ metric: 'soak: API RSS slope, MB per minute', value: one(soak.slopes.apiMbPerMinute), target: '≤ 1', met: soak.slopes.apiMbPerMinute <= 1 });
  rows.push({ metric: 'soak: worker RSS slope, MB per minute', value: one(soak.slopes.workerMbPerMinute), target: '≤ 1', met: soak.slopes.workerMbPerMinute <= 1 });
  rows.push({ metric: 'soak: PostgreSQL connections slope, per minute', value: one(soak.slopes.connectionsPerMinute), target: '≤ 0.1', met: soak.slopes.connectionsPerMinute <= 0.1 });
  const ob = x.outbox;
  rows.push({ metric: 'outbox delivery to local SMTP, messages/s', value: spread(ob.deliveryPerSecond) });
  rows.push({ metric: 'tracked step with outbox ÷ without (5 mails queued)', value: spread(ob.trackingRatio) });
  const lag = ob.deadlineToSmtpMs;
  rows.push({ metric: `deadline fired → mail accepted by SMTP, p50 ms (n=${lag.length})`, value: one(percentile(lag, 0.5)) });
  rows.push({ metric: `deadline fired → mail accepted by SMTP, p95 ms (n=${lag.length})`, value: one(percentile(lag, 0.95)) });
  // W9: per repetition, tracked ÷ raw at the same number of writers.
  for (const writers of x.sizes.auditWriters) {
    const at = x.auditWrites.filter((r) => r.writers === writers);
    const ratio = (mode: string) => spread(at.filter((r) => r.mode === mode).map((t) => {
      const raw = at.find((r) => r.mode === 'raw' && r.rep === t.rep);
      return raw ? t.perSecond / raw.perSecond : NaN;
    }));
    const v = ratio('tracked');
    rows.push({ metric: `W9 tracked audit writes ÷ raw inserts, ${writers} writer(s)`, value: v, ...(writers === 16 ? { target: '≥ 0.80', met: v.median >= 0.8 } : {}) });
    if (at.some((r) => r.mode === 'tracked-tx')) rows.push({ metric: `W9 tracked in BEGIN…COMMIT ÷ raw inserts, ${writers} writer(s)`, value: ratio('tracked-tx') });
  }
  const appendLevel = x.sizes.auditWriters.includes(16) ? 16 : Math.max(...x.sizes.auditWriters);
  rows.push({
    metric: `W9 tracked audit appends, events/s, ${appendLevel} writer(s)`,
    value: spread(x.auditWrites.filter((r) => r.writers === appendLevel && r.mode === 'tracked').map((r) => r.perSecond)),
  });
  rows.push({
    metric: `V1 full verify (chains, log, checkpoints), events/s, ${x.sizes.verifyEvents.toLocaleString('en')} events`,
    value: spread(x.verifyFull.map((r) => r.eventsPerSecond)),
  });
  rows.push({
    metric: `A1 offline bundle verify (tools/verify-bundle.cjs), events/s, ${x.sizes.bundleEvents.toLocaleString('en')} events`,
    value: spread(x.bundleVerify.map((r) => r.eventsPerSecond)),
  });
  // W8: one run per size; the limits are Temporal's (51,200 events, 2 MB a payload).
  for (const c of x.consolidations) {
    const size = `${c.items.toLocaleString('en')} items`;
    rows.push({
      metric: `W8 consolidation of ${size}: items/s, last decision to completed`, value: one(c.itemsPerSecond),
      note: `${c.seconds.toFixed(1)} s of ${c.wallSeconds.toFixed(1)} s wall, ${c.status}`,
    });
    rows.push({ metric: `W8 consolidation of ${size}: largest history, events`, value: one(c.largestHistoryEvents), target: '< 51,200', met: c.largestHistoryEvents < 51_200 });
    rows.push({ metric: `W8 consolidation of ${size}: largest history, KB`, value: one(c.largestHistoryBytes / 1024) });
    rows.push({ metric: `W8 consolidation of ${size}: largest event (payload), KB`, value: one(c.largestEventBytes / 1024), target: '< 2,048', met: c.largestEventBytes < 2 * 1024 * 1024 });
    rows.push({ metric: `W8 consolidation of ${size}: worker peak RSS, MB`, value: one(c.workerPeakRssBytes / 2 ** 20) });
  }
  rows.push(...reformRows(x.reform));
  return rows;
}

/** W10, the 2023 reform: one run of its consolidations on the time-skipping server (the target is the issue's 15 minutes). */
export function reformRows(r: ReformRun): RatioRow[] {
  const one = (v: number) => ({ median: v, min: v, max: v });
  const size = `${r.items.toLocaleString('en')} items`;
  const statuses = Object.entries(r.statuses).map(([s, n]) => `${n} ${s}`).join(', ');
  const minutes = r.seconds / 60;
  return [
    { metric: `W10 reform, ${r.consolidations} consolidations launch to completed, minutes`, value: one(minutes), target: '≤ 15', met: minutes <= 15 && r.statuses.completed === r.consolidations, note: statuses },
    { metric: `W10 consolidation of ${size}: items/s, last decision to completed`, value: one(r.itemsPerSecond), note: `${r.itemsSeconds.toFixed(1)} s from the first last decision; W10 took ${r.wallSeconds.toFixed(0)} s in all` },
    { metric: `W10 consolidation of ${size}: largest history, events`, value: one(r.largestHistoryEvents), target: '< 51,200', met: r.largestHistoryEvents < 51_200 },
    { metric: `W10 consolidation of ${size}: largest history, KB`, value: one(r.largestHistoryBytes / 1024) },
    { metric: `W10 consolidation of ${size}: largest event (payload), KB`, value: one(r.largestEventBytes / 1024), target: '< 2,048', met: r.largestEventBytes < 2 * 1024 * 1024 },
    { metric: `W10 consolidation of ${size}: worker peak RSS, MB`, value: one(r.workerPeakRssBytes / 2 ** 20) },
    {
      metric: `W10 cancel of the largest (${r.largestCounty.name}, ${r.cancel.items.toLocaleString('en')} items): registry rows restored exactly`,
      value: one(r.cancel.restored ? 1 : 0), target: '= 1', met: r.cancel.restored && r.cancel.status === 'cancelled',
      note: `${r.cancel.status}, ${r.cancel.undone} undone`,
    },
    { metric: `W10 cancel of the largest: seconds from cancel to cancelled`, value: one(r.cancel.seconds) },
  ];
}

export function chart(r: BenchReport): string {
  const bar = (label: string, values: number[]) => {
    const s = spread(values);
    return { label, value: s.median, low: s.min, high: s.max };
  };
  const names: Record<string, string> = { W2: 'W2 bare Temporal', W3: 'W3 Fuusio', W4: 'W4 DBOS' };
  const throughput = [
    bar('W1 raw SQL, 1 conn', r.raw.filter((x) => x.connections === 1).map((x) => x.perSecond)),
    bar('W1 raw SQL, 16 conns', r.raw.filter((x) => x.connections === 16).map((x) => x.perSecond)),
    ...r.sizes.closedLevels.flatMap((level) => ['W2', 'W3', 'W4'].map((arm) =>
      bar(`${names[arm]?.split(' ')[0]} ${names[arm]?.split(' ').slice(1).join(' ')}, C=${level}`, r.live.filter((x) => x.arm === arm && x.mode === 'closed' && x.level === level).map((x) => x.perSecond)))),
  ];
  const latency = ['W2', 'W3', 'W4'].flatMap((arm) => (['p50', 'p95'] as const).map((q) =>
    bar(`${arm} ${q}`, r.live.filter((x) => x.arm === arm && x.mode === 'open').map((x) => percentile(x.latenciesMs, q === 'p50' ? 0.5 : 0.95)))));
  return svgChart('Fuusio bench: throughput and latency per arm',
    `${String(r.machine.cpus)} cores, Node ${process.version}, Temporal SDK ${String(r.machine.temporalSdk)}${r.quick ? ' — quick mode, not meaningful' : ''}`,
    [{ title: 'Throughput, closed loop', unit: 'onboardings/s', bars: throughput }, { title: `Latency, open loop ${r.openRate}/s`, unit: 'ms', bars: latency }]);
}

