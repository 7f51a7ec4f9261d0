import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { HistoryArchiveRepository } from '../../../libs/db/repositories/history-archive.repository';
import { isNoSuchRun } from '../../../libs/temporal/not-found';
import { TemporalClientProvider } from '../temporal/temporal.module';

/** A child is looked up at most this many levels up (a child of a child …). */
export const MAX_CHILD_DEPTH = 5;

/**
 * Which workflow started a child workflow. Children (a consolidation's per-party transfers) have no
 * process row of their own; they belong to their parent, whose scope they share. The archive knows the
 * parent of a closed child, Temporal that of one still running (or closed within the retention).
 */
@Injectable()
export class WorkflowLineage {
  private readonly archive = new HistoryArchiveRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly temporal: TemporalClientProvider,
  ) {}

  async parentOf(workflowId: string): Promise<string | null> {
    const archived = await this.archive.parentOf(this.pool, workflowId);
    if (archived) return archived;
    try {
      const described = await (await this.temporal.get()).workflow.getHandle(workflowId).describe();
      return described.parentExecution?.workflowId ?? null;
    } catch (err) {
      if (isNoSuchRun(err)) return null; // unknown to Temporal too: not a child we can place
      throw err;
    }
  }
}
