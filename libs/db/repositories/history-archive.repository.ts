import type { Queryable } from '../pool';

/** How a run closed, in Temporal's terms (lower case, as the archive stores it). */
export type CloseStatus = 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed_out' | 'continued_as_new';

export type ArchivedRunInput = {
  workflowId: string;
  runId: string;
  workflowType: string;
  parentWorkflowId: string | null;
  parentRunId: string | null;
  closeStatus: CloseStatus;
  startedAt: Date;
  closedAt: Date;
  eventsCount: number;
  sha256: string;
  /** gzip of the protobuf-encoded history */
  history: Buffer;
};

/** One archived run without its history bytes. */
export type ArchivedRun = Omit<ArchivedRunInput, 'history' | 'startedAt' | 'closedAt'> & {
  startedAt: string;
  closedAt: string;
  archivedAt: string;
  retainUntil: string | null;
};

const RUN_COLUMNS = `workflow_id, run_id, workflow_type, parent_workflow_id, parent_run_id, close_status, started_at, closed_at,
  events_count, sha256, archived_at, retain_until::text AS retain_until`;

/** The history archive (migration 0013): closed runs' histories kept as long as the process's records. */
export class HistoryArchiveRepository {
  /** Stores a run's history once; false when it was archived before (the natural key is the run). */
  async insert(db: Queryable, run: ArchivedRunInput): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO history_archive (workflow_id, run_id, workflow_type, parent_workflow_id, parent_run_id, close_status, started_at,
         closed_at, events_count, sha256, history)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (workflow_id, run_id) DO NOTHING`,
      [run.workflowId, run.runId, run.workflowType, run.parentWorkflowId, run.parentRunId, run.closeStatus, run.startedAt, run.closedAt,
        run.eventsCount, run.sha256, run.history],
    );
    return (r.rowCount ?? 0) > 0;
  }

  /** Which of these runs are archived already. */
  async archivedRunIds(db: Queryable, runIds: readonly string[]): Promise<Set<string>> {
    if (runIds.length === 0) return new Set();
    const r = await db.query<{ run_id: string }>('SELECT run_id FROM history_archive WHERE run_id = ANY($1::text[])', [runIds]);
    return new Set(r.rows.map((x) => x.run_id));
  }

  /** Up to when every closed run of this scope is archived (null: never completed a pass). */
  async completeUntil(db: Queryable, scope: string): Promise<Date | null> {
    const r = await db.query<{ complete_until: Date }>('SELECT complete_until FROM history_archive_progress WHERE scope = $1', [scope]);
    return r.rows[0]?.complete_until ?? null;
  }

  /** Records a pass that archived everything it listed; never moves the mark back. */
  async markComplete(db: Queryable, scope: string, until: Date): Promise<void> {
    await db.query(
      `INSERT INTO history_archive_progress (scope, complete_until) VALUES ($1, $2)
       ON CONFLICT (scope) DO UPDATE SET complete_until = GREATEST(history_archive_progress.complete_until, EXCLUDED.complete_until)`,
      [scope, until],
    );
  }

  /** The gzip-compressed history of a run; with no run id, the workflow's last closed run. */
  async history(db: Queryable, workflowId: string, runId?: string): Promise<{ run: ArchivedRun; history: Buffer } | null> {
    const r = runId
      ? await db.query(`SELECT ${RUN_COLUMNS}, history FROM history_archive WHERE workflow_id = $1 AND run_id = $2`, [workflowId, runId])
      : await db.query(`SELECT ${RUN_COLUMNS}, history FROM history_archive WHERE workflow_id = $1 ORDER BY closed_at DESC, started_at DESC LIMIT 1`, [workflowId]);
    const row = r.rows[0];
    return row ? { run: toRun(row), history: row.history as Buffer } : null;
  }

  /** The archived runs of a workflow, oldest first. */
  async runs(db: Queryable, workflowId: string): Promise<ArchivedRun[]> {
    const r = await db.query(`SELECT ${RUN_COLUMNS} FROM history_archive WHERE workflow_id = $1 ORDER BY started_at, closed_at`, [workflowId]);
    return r.rows.map(toRun);
  }

  /** The parent of a child workflow as the archive knows it (null for an unknown or top-level id). */
  async parentOf(db: Queryable, workflowId: string): Promise<string | null> {
    const r = await db.query<{ parent_workflow_id: string }>(
      'SELECT parent_workflow_id FROM history_archive WHERE workflow_id = $1 AND parent_workflow_id IS NOT NULL LIMIT 1', [workflowId]);
    return r.rows[0]?.parent_workflow_id ?? null;
  }

  /** The archived runs of the children a workflow started, by child id and start. */
  async childrenOf(db: Queryable, parentWorkflowId: string): Promise<ArchivedRun[]> {
    const r = await db.query(`SELECT ${RUN_COLUMNS} FROM history_archive WHERE parent_workflow_id = $1 ORDER BY workflow_id, started_at`,
      [parentWorkflowId]);
    return r.rows.map(toRun);
  }

  /** Runs whose retention date has passed by `today` (a date), oldest first, at most `limit`. */
  async expired(db: Queryable, today: string, limit: number): Promise<ArchivedRun[]> {
    const r = await db.query(`SELECT ${RUN_COLUMNS} FROM history_archive WHERE retain_until < $1::date ORDER BY retain_until, closed_at LIMIT $2`,
      [today, limit]);
    return r.rows.map(toRun);
  }

  /** Deletes one run's archived history; false when it was gone already. */
  async delete(db: Queryable, workflowId: string, runId: string): Promise<boolean> {
    const r = await db.query('DELETE FROM history_archive WHERE workflow_id = $1 AND run_id = $2', [workflowId, runId]);
    return (r.rowCount ?? 0) > 0;
  }

  /**
   * The archive is kept as long as the records it proves: a project's histories (and its children's) until
   * the project's own retention date, once the project has one. Returns how many runs got a date.
   */
  async applyProjectRetention(db: Queryable): Promise<number> {
    const r = await db.query(
      `UPDATE history_archive h SET retain_until = p.retain_until
         FROM projects p
        WHERE p.retain_until IS NOT NULL
          AND p.workflow_id = COALESCE(h.parent_workflow_id, h.workflow_id)
          AND h.retain_until IS DISTINCT FROM p.retain_until`,
    );
    return r.rowCount ?? 0;
  }
}

function toRun(r: Record<string, unknown>): ArchivedRun {
  return {
    workflowId: String(r.workflow_id),
    runId: String(r.run_id),
    workflowType: String(r.workflow_type),
    parentWorkflowId: (r.parent_workflow_id as string | null) ?? null,
    parentRunId: (r.parent_run_id as string | null) ?? null,
    closeStatus: r.close_status as CloseStatus,
    startedAt: (r.started_at as Date).toISOString(),
    closedAt: (r.closed_at as Date).toISOString(),
    eventsCount: Number(r.events_count),
    sha256: String(r.sha256),
    archivedAt: (r.archived_at as Date).toISOString(),
    retainUntil: (r.retain_until as string | null) ?? null,
  };
}
