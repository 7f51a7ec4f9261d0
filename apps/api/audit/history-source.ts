import { Inject, Injectable } from '@nestjs/common';
import type { temporal } from '@temporalio/proto';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { HistoryArchiveRepository } from '../../../libs/db/repositories/history-archive.repository';
import { decodeHistory } from '../../../libs/temporal/history-codec';
import { isNoSuchRun } from '../../../libs/temporal/not-found';
import { ApiError } from '../common/api-error';
import { TemporalClientProvider } from '../temporal/temporal.module';

type History = temporal.api.history.v1.IHistory;

/** Where a history was read: Temporal while it keeps the run, the archive after its retention. */
export type HistorySourceName = 'temporal' | 'archive';
/** `runId` is null for a latest run read from Temporal without asking its id (a chain always names its runs). */
export type RunHistory = { workflowId: string; runId: string | null; history: History; source: HistorySourceName };

export const historyQuery = z.object({
  runId: z.guid({ message: 'must be a run id (a UUID)' }).optional().describe('the run; without it, the latest run'),
});

/** How far back a chain of continue-as-new runs is followed. */
const MAX_RUNS = 1000;

/**
 * Reads workflow histories from Temporal, and from the history archive (PostgreSQL) when Temporal no
 * longer has the run: every route that reads a history goes through here, so none of them stops working
 * when the namespace retention has passed.
 */
@Injectable()
export class HistorySource {
  private readonly archive = new HistoryArchiveRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
  ) {}

  /** One run's history; without a run id, the workflow's latest run. 404 when neither Temporal nor the archive has it. */
  async run(workflowId: string, runId?: string): Promise<RunHistory> {
    const client = await this.temporal.get();
    try {
      const history = await client.workflow.getHandle(workflowId, runId).fetchHistory();
      return { workflowId, runId: runId ?? null, history, source: 'temporal' };
    } catch (err) {
      if (!isNoSuchRun(err)) throw err;
    }
    const archived = await this.archive.history(this.pool, workflowId, runId);
    if (!archived) throw ApiError.notFound(runId ? `run ${runId} of the workflow` : 'the history of the workflow');
    return { workflowId, runId: archived.run.runId, history: decodeHistory(archived.history, archived.run.sha256), source: 'archive' };
  }

  /** The id of the workflow's latest run: Temporal's, or the archive's once Temporal has none. */
  private async latestRunId(workflowId: string): Promise<string> {
    try {
      return (await (await this.temporal.get()).workflow.getHandle(workflowId).describe()).runId;
    } catch (err) {
      if (!isNoSuchRun(err)) throw err;
    }
    const archived = await this.archive.runs(this.pool, workflowId);
    const last = archived[archived.length - 1];
    if (!last) throw ApiError.notFound('the history of the workflow');
    return last.runId;
  }

  /** The latest run and, after continue-as-new, the runs before it: oldest first. */
  async chain(workflowId: string): Promise<RunHistory[]> {
    const out: RunHistory[] = [];
    let runId: string | undefined = await this.latestRunId(workflowId);
    for (let i = 0; i < MAX_RUNS; i += 1) {
      const run = await this.run(workflowId, runId);
      out.unshift(run);
      runId = run.history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId || undefined;
      if (!runId) break;
    }
    return out;
  }
}
