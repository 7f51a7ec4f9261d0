/**
 * What the consolidation arms (W8, W10) share: the worker program as its own process with its peak RSS
 * sampled, uploaded staff lists for a party, and the sizes of a run's histories against Temporal's limits.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import type { Pool } from 'pg';
import { findProjectRoot } from '../../infra/temporal/provision';
import { ConsolidationItemsRepository } from '../../libs/db/repositories/consolidation-items.repository';
import { rssBytes } from '../support';

const HistoryEvent = temporal.api.history.v1.HistoryEvent;
const History = temporal.api.history.v1.History;

export type WorkerProgram = { peakRssBytes(): number; stop(): Promise<void> };

/** The worker program as `npm start` runs it, compiled (the bench runs from dist/ too), on its own task queue. */
export function startWorkerProgram(opts: { url: string; address: string; namespace: string; taskQueue: string; bundlePath: string }): WorkerProgram {
  const worker = spawn(process.execPath, [join(findProjectRoot(), 'dist', 'apps', 'worker', 'main.js')], {
    env: {
      ...process.env, DATABASE_URL: opts.url, TEMPORAL_ADDRESS: opts.address, TEMPORAL_NAMESPACE: opts.namespace, TEMPORAL_TASK_QUEUE: opts.taskQueue,
      FUUSIO_WORKFLOW_BUNDLE: opts.bundlePath, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ARCHIVE_EVERY_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peak = 0;
  const sampler = setInterval(() => { peak = Math.max(peak, rssBytes(worker.pid ?? 0)); }, 200);
  return {
    peakRssBytes: () => peak,
    stop: async () => {
      clearInterval(sampler);
      worker.kill('SIGTERM');
      await new Promise((r) => (worker.exitCode !== null || worker.signalCode !== null ? r(undefined) : worker.once('exit', r)));
    },
  };
}

/**
 * `n` staff references `<prefix>-000001…` held by `party` since 2020 (the reconciliation refuses references the
 * registry does not hold), and the uploaded item list naming them; returns the list's id.
 */
export async function uploadStaffList(pool: Pool, party: string, prefix: string, n: number): Promise<string> {
  const refs = Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
  await pool.query(`INSERT INTO centre_holdings (kind, ref, organisation_id, valid_from) SELECT 'staff', ref, $1, '2020-01-01' FROM unnest($2::text[]) AS ref`, [party, refs]);
  const list = await new ConsolidationItemsRepository().createList(pool, {
    id: randomUUID(), organisationId: null, uploadedBy: 'bench', rows: refs.map((ref, line) => ({ line: line + 1, kind: 'staff', ref, counterpartyId: null })),
  });
  return list.id;
}

export type HistorySizes = { largestHistoryEvents: number; largestHistoryBytes: number; largestEventBytes: number };

/** The largest history (events, bytes) and event of a consolidation's parent and its transfer children. */
export async function historySizes(client: Client, workflowIds: string[]): Promise<HistorySizes> {
  const histories = [];
  for (const id of workflowIds) histories.push(await client.workflow.getHandle(id).fetchHistory());
  const events = histories.flatMap((h) => h.events ?? []);
  return {
    largestHistoryEvents: Math.max(...histories.map((h) => h.events?.length ?? 0)),
    largestHistoryBytes: Math.max(...histories.map((h) => History.encode(h).finish().length)),
    largestEventBytes: Math.max(...events.map((e) => HistoryEvent.encode(e).finish().length)),
  };
}
