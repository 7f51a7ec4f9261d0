/**
 * W8: one consolidation of realistic size driven to completed on the real worker program: 1,000 and
 * 10,000 staff references (100,000 in the full bench with --consolidation-100k) from uploaded item lists
 * over two parties, moved in set-based batches. Per size: wall time (and from the last decision to completed,
 * which is what the items cost), items/s, the largest history (events
 * and bytes) and event of the parent and its children (a payload is never larger than its event), and the
 * worker process's peak RSS. The effective date is today, so no durable timer waits and the run completes.
 */
import type { Client } from '@temporalio/client';
import { temporal } from '@temporalio/proto';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  SOSIAALITAITO_BUSINESS_ID, UUSIMAA_DECISIONS, VERSO_BUSINESS_ID, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import { findProjectRoot } from '../../infra/temporal/provision';
import { createPool } from '../../libs/db/pool';
import { ConsolidationItemsRepository } from '../../libs/db/repositories/consolidation-items.repository';
import { consolidationInputSchema } from '../../libs/domain/consolidation';
import { isoDate } from '../../libs/domain/duration';
import type { Actor } from '../../libs/domain/progress';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { rssBytes } from '../support';

export type ConsolidationScaleRun = {
  /** `seconds` from the last decision to completed (establish, transfers, effective date, closing); `wallSeconds` from the start. */
  items: number; seconds: number; wallSeconds: number; itemsPerSecond: number; status: string;
  largestHistoryEvents: number; largestHistoryBytes: number; largestEventBytes: number; workerPeakRssBytes: number;
};

const CLERK: Actor = { name: 'bench', role: 'admin' };
const HistoryEvent = temporal.api.history.v1.HistoryEvent;
const History = temporal.api.history.v1.History;

/** Runs one consolidation of `items` staff references on a fresh database (`url`, cloned from the bench template). */
export async function runConsolidationScale(opts: {
  items: number; url: string; client: Client; address: string; namespace: string; bundlePath: string; progress: (line: string) => void;
}): Promise<ConsolidationScaleRun> {
  const pool = createPool(opts.url, 4);
  const taskQueue = `bench-consolidation-${randomUUID().slice(0, 8)}`;
  // The worker program as `npm start` runs it, compiled (the bench runs from dist/ too).
  const worker = spawn(process.execPath, [join(findProjectRoot(), 'dist', 'apps', 'worker', 'main.js')], {
    env: {
      ...process.env, DATABASE_URL: opts.url, TEMPORAL_ADDRESS: opts.address, TEMPORAL_NAMESPACE: opts.namespace, TEMPORAL_TASK_QUEUE: taskQueue,
      FUUSIO_WORKFLOW_BUNDLE: opts.bundlePath, LOG_LEVEL: 'warn', LOG_FORMAT: 'json', ARCHIVE_EVERY_MS: '0',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let peakRss = 0;
  const sampler = setInterval(() => { peakRss = Math.max(peakRss, rssBytes(worker.pid ?? 0)); }, 200);
  try {
    await seedConsolidationDemo(pool);
    // Sosiaalitaito brings three fifths of the staff, Verso's part the rest; both have held them for years.
    const split = Math.round(opts.items * 0.6);
    const lists = new Map<string, string>();
    const items = new ConsolidationItemsRepository();
    for (const [party, prefix, n] of [[SOSIAALITAITO_BUSINESS_ID, 'STAITO-W', split], [VERSO_BUSINESS_ID, 'VERSO-W', opts.items - split]] as const) {
      const refs = Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(6, '0')}`);
      await pool.query(`INSERT INTO centre_holdings (kind, ref, organisation_id, valid_from) SELECT 'staff', ref, $1, '2020-01-01' FROM unnest($2::text[]) AS ref`, [party, refs]);
      const list = await items.createList(pool, {
        id: randomUUID(), organisationId: null, uploadedBy: 'bench', rows: refs.map((ref, line) => ({ line: line + 1, kind: 'staff', ref, counterpartyId: null })),
      });
      lists.set(party, list.id);
    }
    const base = uusimaaConsolidationInput(isoDate(Date.now()));
    const input = consolidationInputSchema.parse({
      ...base, slug: `bench-${opts.items}-${randomUUID().slice(0, 8)}`,
      // No projects (no funders to wait for) and no inline staff: the lists are the whole of it.
      parties: base.parties.map((p) => ({ ...p, projects: [], staff: [], ...(lists.has(p.businessId) ? { itemList: lists.get(p.businessId) } : {}) })),
    });

    const launched = performance.now();
    const handle = await opts.client.workflow.start('consolidateCentres', { taskQueue, workflowId: `consolidation:${input.slug}`, args: [input] });
    const at = async (stage: string) => {
      for (let waited = 0; (await handle.query(progressQuery)).stage !== stage; waited += 100) {
        if (waited > 600_000) throw new Error(`W8: ${handle.workflowId} did not reach ${stage}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    const event = (type: string, payload: Record<string, unknown>) =>
      handle.executeUpdate(eventUpdate, { args: [{ type, payload, idempotencyKey: type, actor: CLERK }] });
    await at('feasibility');
    await event('study.completed', { findings: 'Benchmark.' });
    await at('decisions');
    const decided = UUSIMAA_DECISIONS.slice(0, -1);
    for (const [party, body] of decided) await handle.executeUpdate(decideUpdate, { args: [{ gate: 'decisions', party, body, decision: 'approve', actor: CLERK }] });
    // The clock starts at the last decision: from there on the run only moves items (the worker is warm by now).
    const [lastParty, lastBody] = UUSIMAA_DECISIONS[UUSIMAA_DECISIONS.length - 1] ?? [];
    const started = performance.now();
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'decisions', party: lastParty ?? '', body: lastBody, decision: 'approve', actor: CLERK }] });
    opts.progress(`W8 consolidation: ${opts.items} items transferring`);
    await at('integration');
    await event('tasks.closed', { reason: 'benchmark run' });
    const result = (await handle.result()) as ConsolidationResult;
    const seconds = (performance.now() - started) / 1000;
    const wallSeconds = (performance.now() - launched) / 1000;

    const histories = [await handle.fetchHistory()];
    for (const party of lists.keys()) histories.push(await opts.client.workflow.getHandle(`consolidation:${input.slug}/transfer/${party}`).fetchHistory());
    const events = histories.flatMap((h) => h.events ?? []);
    return {
      items: opts.items, seconds, wallSeconds, itemsPerSecond: opts.items / seconds, status: result.status,
      largestHistoryEvents: Math.max(...histories.map((h) => h.events?.length ?? 0)),
      largestHistoryBytes: Math.max(...histories.map((h) => History.encode(h).finish().length)),
      largestEventBytes: Math.max(...events.map((e) => HistoryEvent.encode(e).finish().length)),
      workerPeakRssBytes: peakRss,
    };
  } finally {
    clearInterval(sampler);
    worker.kill('SIGTERM');
    await new Promise((r) => (worker.exitCode !== null || worker.signalCode !== null ? r(undefined) : worker.once('exit', r)));
    await pool.end();
  }
}
