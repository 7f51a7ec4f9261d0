import { Inject, Injectable } from '@nestjs/common';
import { bundleWorkflowCode, Worker } from '@temporalio/worker';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import type { TokenOwner } from '../../../libs/db/repositories/token.repository';
import { workflowsPath } from '../../../libs/temporal/workflows-path';
import { parseBody } from '../common/zod-body';
import { parseListQuery } from '../workflows/list-query';
import { WorkflowsService } from '../workflows/workflows.service';
import { HistorySource, type HistorySourceName, type RunHistory } from './history-source';

export const replaySchema = z
  .object({
    workflowIds: z.array(z.string().min(1).max(300)).max(500).optional(),
    query: z.string().max(500).optional(),
    runs: z.enum(['latest', 'all']).default('latest')
      .describe('latest: the last run of each workflow; all: every run of its continue-as-new chain, each with its runId and where it was read (temporal or archive)'),
  })
  .refine((b) => b.workflowIds?.length || b.query, { message: 'give workflowIds or a query such as "kind=onboarding&status=completed"' });

export type ReplayOutcome = { workflowId: string; runId?: string; source?: HistorySourceName; ok: boolean; error?: string };

/** Replays recorded Temporal histories against the workflow code this process was built with. */
@Injectable()
export class ReplayService {
  private bundle?: Promise<string>;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly workflows: WorkflowsService,
    private readonly source: HistorySource,
  ) {}

  async replay(body: unknown, user: TokenOwner): Promise<{ results: ReplayOutcome[] }> {
    const request = parseBody(replaySchema, body);
    const ids = request.workflowIds?.length ? request.workflowIds : await this.select(request.query ?? '', user);
    for (const id of ids) await this.workflows.readable(id, user);
    if (ids.length === 0) return { results: [] };
    const all = request.runs === 'all';
    // Read one by one as the replayer asks: from Temporal, or from the archive once the retention has passed.
    const runs: RunHistory[] = [];
    const source = this.source;
    const histories = (async function* () {
      for (const workflowId of ids) {
        for (const run of all ? await source.chain(workflowId) : [await source.run(workflowId)]) {
          runs.push(run);
          yield { workflowId: run.workflowId, history: run.history };
        }
      }
    })();
    const results: ReplayOutcome[] = [];
    for await (const r of Worker.runReplayHistories({ workflowBundle: { code: await this.workflowCode() } }, histories)) {
      const run = runs[results.length];
      const which = all && run?.runId ? { runId: run.runId, source: run.source } : {};
      results.push(r.error ? { workflowId: r.workflowId, ...which, ok: false, error: r.error.message } : { workflowId: r.workflowId, ...which, ok: true });
    }
    return { results };
  }

  private async select(query: string, user: TokenOwner): Promise<string[]> {
    const filter = parseListQuery(Object.fromEntries(new URLSearchParams(query)));
    const items = await this.workflows.list({ ...filter, limit: filter.limit ?? 200 }, user);
    return items.map((i) => i.workflowId);
  }

  /**
   * Bundled once per process: bundling takes seconds, replaying a history milliseconds. Where the worker's
   * prebuilt bundle is given (FUUSIO_WORKFLOW_BUNDLE, as the worker takes it), that very code is replayed.
   */
  private workflowCode(): Promise<string> {
    const noop = () => undefined;
    const prebuilt = process.env.FUUSIO_WORKFLOW_BUNDLE;
    if (prebuilt && existsSync(prebuilt)) this.bundle ??= readFile(prebuilt, 'utf8');
    this.bundle ??= bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      logger: { log: noop, trace: noop, debug: noop, info: noop, warn: noop, error: noop },
    }).then((b) => b.code);
    return this.bundle;
  }
}
