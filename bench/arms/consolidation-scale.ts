/**
 * W8: one consolidation of realistic size driven to completed on the real worker program: 1,000 and
 * 10,000 staff references (100,000 in the full bench with --consolidation-100k) from uploaded item lists
 * over two parties, moved in set-based batches. Per size: wall time (and from the last decision to completed,
 * which is what the items cost), items/s, the largest history (events
 * and bytes) and event of the parent and its children (a payload is never larger than its event), and the
 * worker process's peak RSS. The effective date is today, so no durable timer waits and the run completes.
 */
import type { Client } from '@temporalio/client';
import { randomUUID } from 'node:crypto';
import {
  SOSIAALITAITO_BUSINESS_ID, UUSIMAA_DECISIONS, VERSO_BUSINESS_ID, seedConsolidationDemo, uusimaaConsolidationInput,
} from '../../infra/seed/demo-consolidation';
import { createPool } from '../../libs/db/pool';
import { consolidationInputSchema } from '../../libs/domain/consolidation';
import { isoDate } from '../../libs/domain/duration';
import type { Actor } from '../../libs/domain/progress';
import type { ConsolidationResult } from '../../workflows/consolidation/consolidate-centres.workflow';
import { decideUpdate, eventUpdate, progressQuery } from '../../workflows/kit/messages';
import { historySizes, startWorkerProgram, uploadStaffList } from './consolidation-support';

export type ConsolidationScaleRun = {
  /** `seconds` from the last decision to completed (establish, transfers, effective date, closing); `wallSeconds` from the start. */
  items: number; seconds: number; wallSeconds: number; itemsPerSecond: number; status: string;
  largestHistoryEvents: number; largestHistoryBytes: number; largestEventBytes: number; workerPeakRssBytes: number;
};

const CLERK: Actor = { name: 'bench', role: 'admin' };

/** Runs one consolidation of `items` staff references on a fresh database (`url`, cloned from the bench template). */
export async function runConsolidationScale(opts: {
  items: number; url: string; client: Client; address: string; namespace: string; bundlePath: string; progress: (line: string) => void;
}): Promise<ConsolidationScaleRun> {
  const pool = createPool(opts.url, 4);
  const taskQueue = `bench-consolidation-${randomUUID().slice(0, 8)}`;
  const worker = startWorkerProgram({ url: opts.url, address: opts.address, namespace: opts.namespace, taskQueue, bundlePath: opts.bundlePath });
  try {
    await seedConsolidationDemo(pool);
    // Sosiaalitaito brings three fifths of the staff, Verso's part the rest; both have held them for years.
    const split = Math.round(opts.items * 0.6);
    const lists = new Map<string, string>();
    for (const [party, prefix, n] of [[SOSIAALITAITO_BUSINESS_ID, 'STAITO-W', split], [VERSO_BUSINESS_ID, 'VERSO-W', opts.items - split]] as const) {
      lists.set(party, await uploadStaffList(pool, party, prefix, n));
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

    const sizes = await historySizes(opts.client, [handle.workflowId, ...[...lists.keys()].map((party) => `consolidation:${input.slug}/transfer/${party}`)]);
    return {
      items: opts.items, seconds, wallSeconds, itemsPerSecond: opts.items / seconds, status: result.status, ...sizes, workerPeakRssBytes: worker.peakRssBytes(),
    };
  } finally {
    await worker.stop();
    await pool.end();
  }
}
