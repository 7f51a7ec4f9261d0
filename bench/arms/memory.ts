/**
 * W7: resident memory of a worker per cached workflow waiting at its board decision, Fuusio beside bare.
 * Each arm's worker runs in a process of its own (bench/memory-worker.js); the bench parks onboardings
 * level by level (e.g. 250, 500, 1,000 in all), alternating the arms, and reads the worker's RSS after
 * forced GCs. Per workflow = the slope between the smallest and the largest level (fixed costs cancel).
 */
import type { Client } from '@temporalio/client';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { FuusioKind, FuusioOrgs, FuusioStage, FuusioStatus } from '../../libs/temporal/search-attributes';
import type { MemoryWorkerSpec } from '../memory-worker';
import { StageWaiter, application } from '../support';

export type MemoryPoint = { arm: 'fuusio' | 'bare'; parked: number; rssBytes: number; heapUsedBytes: number; cached: number };
export type MemoryResult = { levels: number[]; points: MemoryPoint[]; baseline: MemoryPoint[]; bytesPerWorkflow: Record<'fuusio' | 'bare', number>; maxCachedWorkflows: Record<string, number> };

type Child = { proc: ChildProcessWithoutNullStreams; ask(cmd: string): Promise<Record<string, number>> };

function startChild(spec: MemoryWorkerSpec): Promise<Child & { ready: Record<string, number> }> {
  const proc = spawn(process.execPath, ['--expose-gc', join(__dirname, '..', 'memory-worker.js'), JSON.stringify(spec)], { stdio: ['pipe', 'pipe', 'pipe'] });
  proc.stderr.on('data', (d: Buffer) => process.stderr.write(`[W7 ${spec.arm} worker] ${d.toString()}`));
  const lines = createInterface({ input: proc.stdout })[Symbol.asyncIterator]();
  const nextLine = async () => {
    const r = await lines.next();
    if (r.done) throw new Error(`W7 ${spec.arm} worker exited`);
    return JSON.parse(r.value) as Record<string, number>;
  };
  const child: Child = {
    proc,
    async ask(cmd) {
      proc.stdin.write(`${cmd}\n`);
      return nextLine();
    },
  };
  return nextLine().then((ready) => ({ ...child, ready }));
}

export async function runMemory(opts: {
  levels: number[]; client: Client; address: string; namespace: string;
  fuusio: { url: string; bundlePath: string }; bare: { url: string; bundlePath: string }; progress: (line: string) => void;
}): Promise<MemoryResult> {
  const arms = (['fuusio', 'bare'] as const).map((arm) => ({ arm, taskQueue: `bench-mem-${arm}-${randomUUID().slice(0, 8)}`, ...opts[arm] }));
  const children = await Promise.all(arms.map((a) => startChild({
    arm: a.arm, address: opts.address, namespace: opts.namespace, taskQueue: a.taskQueue, databaseUrl: a.url, bundlePath: a.bundlePath,
  })));
  const waiters = await Promise.all(arms.map((a) => StageWaiter.open(a.url)));
  const points: MemoryPoint[] = [];
  const baseline: MemoryPoint[] = [];
  try {
    for (const [i, a] of arms.entries()) {
      const m = await children[i]!.ask('measure');
      baseline.push({ arm: a.arm, parked: 0, rssBytes: m.rss ?? NaN, heapUsedBytes: m.heapUsed ?? NaN, cached: m.cached ?? 0 });
    }
    const parked = [0, 0];
    for (const level of opts.levels) {
      for (const [i, a] of arms.entries()) {
        const from = parked[i] ?? 0;
        opts.progress(`W7 memory: parking ${a.arm} onboardings ${from + 1}–${level}`);
        const ids: string[] = [];
        const startOne = async (n: number) => {
          const input = application(a.arm === 'fuusio' ? 7 : 8, n);
          const workflowId = `onboarding:${input.company}:${input.applicant.businessId}`;
          await opts.client.workflow.start(a.arm === 'fuusio' ? 'onboardShareholder' : 'bareOnboarding', {
            taskQueue: a.taskQueue, workflowId, args: [input],
            typedSearchAttributes: a.arm === 'fuusio' ? [
              { key: FuusioKind, value: 'onboarding' }, { key: FuusioOrgs, value: [input.company, input.applicant.businessId] },
              { key: FuusioStage, value: 'started' }, { key: FuusioStatus, value: 'running' },
            ] : [],
          });
          ids.push(workflowId);
          await waiters[i]!.waitFor(workflowId, 'board', 300_000);
        };
        // 25 at a time, as a busy launch screen would.
        let next = from;
        await Promise.all(Array.from({ length: 25 }, async () => {
          while (next < level) await startOne(next++);
        }));
        parked[i] = level;
        const m = await children[i]!.ask('measure');
        points.push({ arm: a.arm, parked: level, rssBytes: m.rss ?? NaN, heapUsedBytes: m.heapUsed ?? NaN, cached: m.cached ?? 0 });
      }
    }
  } finally {
    for (const w of waiters) await w.close();
    for (const c of children) {
      c.proc.stdin.write('stop\n');
      // A graceful shutdown waits for its long polls; the figures are taken, so a short grace will do.
      await new Promise((r) => {
        c.proc.once('exit', r);
        setTimeout(() => { c.proc.kill('SIGKILL'); r(undefined); }, 2_000);
      });
    }
  }
  const slope = (arm: 'fuusio' | 'bare') => {
    const own = points.filter((p) => p.arm === arm);
    const lo = own[0];
    const hi = own[own.length - 1];
    if (!lo || !hi || hi.parked === lo.parked) return hi ? (hi.rssBytes - (baseline.find((b) => b.arm === arm)?.rssBytes ?? 0)) / hi.parked : NaN;
    return (hi.rssBytes - lo.rssBytes) / (hi.parked - lo.parked);
  };
  return {
    levels: opts.levels, points, baseline, bytesPerWorkflow: { fuusio: slope('fuusio'), bare: slope('bare') },
    maxCachedWorkflows: Object.fromEntries(arms.map((a, i) => [a.arm, children[i]!.ready.maxCachedWorkflows ?? NaN])),
  };
}
