/**
 * W5: replay recorded histories with the current workflow code, no server: one replayer going through
 * them all, and `parallel` replayers each taking a share. Fetches the histories from the dev server.
 */
import type { Client } from '@temporalio/client';
import type { temporal } from '@temporalio/proto';
import { Worker } from '@temporalio/worker';

export type History = { workflowId: string; history: temporal.api.history.v1.IHistory };
export type ReplayResult = { mode: 'one' | 'parallel'; replayers: number; histories: number; events: number; seconds: number; historiesPerSecond: number; eventsPerSecond: number; failures: number };

export async function fetchHistories(client: Client, ids: string[], progress: (done: number) => void): Promise<History[]> {
  const out: History[] = [];
  for (const [i, workflowId] of ids.entries()) {
    out.push({ workflowId, history: await client.workflow.getHandle(workflowId).fetchHistory() });
    if (i % 50 === 0) progress(i);
  }
  return out;
}

/** `target` histories, cycling through the recorded ones if there are fewer. */
export function upTo<T>(items: T[], target: number): T[] {
  if (!items.length) return [];
  return Array.from({ length: target }, (_, i) => items[i % items.length] as T);
}

export async function replay(histories: History[], bundleCode: string, replayers: number): Promise<ReplayResult> {
  const events = histories.reduce((sum, h) => sum + (h.history.events?.length ?? 0), 0);
  const shares = Array.from({ length: replayers }, (_, r) => histories.filter((_, i) => i % replayers === r));
  let failures = 0;
  const t0 = performance.now();
  await Promise.all(shares.map(async (share) => {
    for await (const result of Worker.runReplayHistories({ workflowBundle: { code: bundleCode } }, share)) {
      if (result.error) failures += 1;
    }
  }));
  const seconds = (performance.now() - t0) / 1000;
  return {
    mode: replayers === 1 ? 'one' : 'parallel', replayers, histories: histories.length, events, seconds,
    historiesPerSecond: histories.length / seconds, eventsPerSecond: events / seconds, failures,
  };
}
