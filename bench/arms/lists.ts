/**
 * W6: the dashboard's list query (RUN_LIST_SQL, keyset, first page of 50 onboardings) on a database
 * seeded with N projection rows (bench/list.ts's seed), beside Temporal's own list of workflows with
 * the same filter (FuusioKind = 'onboarding'), on however many workflows the run created.
 */
import type { Client as TemporalClient } from '@temporalio/client';
import { Client } from 'pg';
import { RUN_LIST_SQL, runListParams } from '../../libs/db/repositories/process.repository';
import { seed, stats, type Stats } from '../list';

export type ListResult = { rows: number; seedSeconds: number; repetitions: number; pgDbMs: Stats; pgRoundTripMs: Stats; temporalMs: Stats; temporalRows: number; pgRows: number };

export async function runLists(url: string, rows: number, repetitions: number, temporal: TemporalClient, progress: (line: string) => void): Promise<ListResult> {
  const client = new Client({ connectionString: url, application_name: 'fuusio-bench-list' });
  await client.connect();
  try {
    const t0 = performance.now();
    await seed(client, { rows, progress });
    const seedSeconds = (performance.now() - t0) / 1000;
    const params = runListParams({ kind: 'onboarding', limit: 50, now: new Date() });
    const db: number[] = [];
    const rt: number[] = [];
    const tl: number[] = [];
    let pgRows = 0;
    let temporalRows = 0;
    const warmup = 2;
    for (let i = 0; i < warmup + repetitions; i++) {
      progress(`W6 lists: query ${i + 1}/${warmup + repetitions}`);
      // Interleaved: the projection's page, then Temporal's.
      const s = performance.now();
      const r = await client.query(RUN_LIST_SQL, params);
      const ms = performance.now() - s;
      const explained = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${RUN_LIST_SQL}`, params);
      const exec = (explained.rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number }> })['QUERY PLAN'][0]?.['Execution Time'] ?? NaN;
      const ts = performance.now();
      const page = await temporal.workflowService.listWorkflowExecutions({
        namespace: temporal.options.namespace, pageSize: 50, query: `FuusioKind = 'onboarding'`,
      });
      const tms = performance.now() - ts;
      if (i < warmup) continue;
      pgRows = r.rowCount ?? 0;
      temporalRows = page.executions.length;
      db.push(exec);
      rt.push(ms);
      tl.push(tms);
    }
    return { rows, seedSeconds, repetitions, pgDbMs: stats(db), pgRoundTripMs: stats(rt), temporalMs: stats(tl), temporalRows, pgRows };
  } finally {
    await client.end();
  }
}
