import type { StageView } from '../../domain/progress';
import type { RunDetail, RunListItem } from '../../domain/run-views';
import { DUE_SOON_DAYS, type HealthLevel } from '../../domain/health';
import { helsinkiDayStart } from '../../domain/helsinki-time';
import type { Queryable } from '../pool';

export type RunListFilter = {
  kind?: string;
  status?: string;
  org?: string;
  stage?: string;
  waitingFor?: string;
  overdue?: boolean;
  /** Only runs of this health (libs/domain/health.ts) at `now`. */
  health?: HealthLevel;
  q?: string;
  /** Only runs that involve this organisation (a scoped token). */
  scope?: string | null;
  cursor?: { updatedAt: string; workflowId: string };
  limit: number;
  /** The moment "overdue" and health are judged at (the API's clock). */
  now: Date;
};

export type { RunDetail, RunListItem } from '../../domain/run-views';

const RUN_COLUMNS = `workflow_id, run_id, kind, business_key, title, status, stage, percent, organisations, waiting_for,
  next_deadline, stages, result, failure, started_at, updated_at, imported`;

/**
 * runHealth (libs/domain/health.ts) in SQL, for the filter and the counts. $10 is the instant today began
 * in Helsinki: a deadline before it is overdue (its Helsinki day has ended); one before the start of the
 * Helsinki day DUE_SOON_DAYS + 1 ahead is due soon (local time + days, so a DST change shifts nothing).
 */
const HEALTH_SQL = `CASE WHEN status = 'failed' THEN 'red'
          WHEN status = 'running' AND next_deadline < $10::timestamptz THEN 'red'
          WHEN status = 'running' AND next_deadline < ((($10::timestamptz AT TIME ZONE 'Europe/Helsinki') + interval '${DUE_SOON_DAYS + 1} days') AT TIME ZONE 'Europe/Helsinki') THEN 'amber'
          ELSE 'green' END`;

/** The list filters ($1–$10), shared by the list and the counts so both always agree. */
const RUN_FILTER_SQL = `($1::text IS NULL OR kind = $1)
          AND ($2::text IS NULL OR status = $2)
          AND ($3::text IS NULL OR organisations @> ARRAY[$3::text])
          AND ($4::text IS NULL OR stage = $4)
          AND ($5::text IS NULL OR EXISTS (SELECT 1 FROM unnest(waiting_for) w WHERE w ILIKE '%' || $5 || '%'))
          AND ($6::boolean IS NOT TRUE OR (status = 'running' AND next_deadline < $10::timestamptz))
          AND ($7::text IS NULL OR title ILIKE '%' || $7 || '%' OR business_key ILIKE '%' || $7 || '%' OR workflow_id ILIKE '%' || $7 || '%')
          AND ($8::text IS NULL OR organisations @> ARRAY[$8::text])
          AND ($9::text IS NULL OR (${HEALTH_SQL}) = $9)`;

/** The list query (exported so `npm run bench:list` measures exactly what the API runs); params from runListParams. */
export const RUN_LIST_SQL = `SELECT ${RUN_COLUMNS} FROM process_runs
        WHERE ${RUN_FILTER_SQL}
          AND ($11::timestamptz IS NULL OR (updated_at, workflow_id) < ($11::timestamptz, $12::text))
        ORDER BY updated_at DESC, workflow_id DESC
        LIMIT $13`;

const RUN_COUNTS_SQL = `SELECT kind, status, ${HEALTH_SQL} AS health, count(*)::int AS n FROM process_runs
        WHERE ${RUN_FILTER_SQL} GROUP BY 1, 2, 3`;

export type RunCounts = {
  total: number; byKind: Record<string, number>; byStatus: Record<string, number>; byHealth: Record<HealthLevel, number>;
};

export function runListParams(f: RunListFilter): unknown[] {
  return [f.kind ?? null, f.status ?? null, f.org ?? null, f.stage ?? null, f.waitingFor ?? null, f.overdue ?? null,
    f.q ?? null, f.scope ?? null, f.health ?? null, helsinkiDayStart(f.now).toISOString(), f.cursor?.updatedAt ?? null, f.cursor?.workflowId ?? null, f.limit];
}

/** Reads of the progress projection; the tracking activity is its only writer. */
export class ProcessRepository {
  async list(db: Queryable, f: RunListFilter): Promise<RunListItem[]> {
    const r = await db.query(RUN_LIST_SQL, runListParams(f));
    return r.rows.map(toListItem);
  }

  /** How many runs match the filters (paging aside), by kind and by status. */
  async counts(db: Queryable, f: Omit<RunListFilter, 'cursor' | 'limit'>): Promise<RunCounts> {
    const r = await db.query<{ kind: string; status: string; health: HealthLevel; n: number }>(
      RUN_COUNTS_SQL, runListParams({ ...f, limit: 0 }).slice(0, 10));
    const counts: RunCounts = { total: 0, byKind: {}, byStatus: {}, byHealth: { red: 0, amber: 0, green: 0 } };
    for (const { kind, status, health, n } of r.rows) {
      counts.total += n;
      counts.byKind[kind] = (counts.byKind[kind] ?? 0) + n;
      counts.byStatus[status] = (counts.byStatus[status] ?? 0) + n;
      counts.byHealth[health] += n;
    }
    return counts;
  }

  async detail(db: Queryable, workflowId: string): Promise<RunDetail | null> {
    const run = await db.query(`SELECT ${RUN_COLUMNS} FROM process_runs WHERE workflow_id = $1`, [workflowId]);
    const row = run.rows[0];
    if (!row) return null;
    const [steps, approvals] = await Promise.all([
      db.query(
        `SELECT step_key, stage, title, status, started_at, finished_at, due_at, detail FROM process_steps
          WHERE workflow_id = $1 ORDER BY COALESCE(started_at, finished_at), step_key`,
        [workflowId],
      ),
      db.query(
        `SELECT gate, party, body, status, due_at, decided_at, decided_by, comment, reference, quorum, members, votes FROM approvals
          WHERE workflow_id = $1 ORDER BY gate, party`,
        [workflowId],
      ),
    ]);
    return {
      ...toListItem(row),
      businessKey: row.business_key,
      runId: row.run_id,
      stages: row.stages as StageView[],
      result: row.result,
      failure: row.failure,
      steps: steps.rows.map((s) => ({
        key: s.step_key, stage: s.stage, title: s.title, status: s.status, startedAt: iso(s.started_at),
        finishedAt: iso(s.finished_at), dueAt: iso(s.due_at), detail: s.detail,
      })),
      approvals: approvals.rows.map((a) => ({
        gate: a.gate, party: a.party, body: a.body, status: a.status, dueAt: iso(a.due_at), decidedAt: iso(a.decided_at),
        decidedBy: a.decided_by, comment: a.comment, reference: a.reference,
        // Only approvals decided by named members carry these, so older rows keep their shape.
        ...(a.members ? { quorum: a.quorum, members: a.members, votes: a.votes } : {}),
      })),
    };
  }

  async workflowIdForBusinessKey(db: Queryable, businessKey: string): Promise<RunRef | null> {
    const r = await db.query(
      'SELECT workflow_id, kind, status, organisations FROM process_runs WHERE business_key = $1 ORDER BY started_at DESC LIMIT 1',
      [businessKey],
    );
    const row = r.rows[0];
    return row ? { workflowId: row.workflow_id, kind: row.kind, status: row.status, organisations: row.organisations } : null;
  }

  /** The organisations taking part in a workflow (what an organisation-scoped token is checked against); null if unknown. */
  async organisationsOf(db: Queryable, workflowId: string): Promise<string[] | null> {
    const r = await db.query<{ organisations: string[] }>('SELECT organisations FROM process_runs WHERE workflow_id = $1', [workflowId]);
    return r.rows[0]?.organisations ?? null;
  }
}

/** A run found by business key: enough to route to it and to check a token's scope. */
export type RunRef = { workflowId: string; kind: string; status: string; organisations: string[] };

function iso(v: unknown): string | null {
  return v instanceof Date ? v.toISOString() : null;
}

function toListItem(r: Record<string, unknown>): RunListItem {
  return {
    workflowId: String(r.workflow_id),
    kind: String(r.kind),
    title: String(r.title),
    status: String(r.status),
    stage: String(r.stage),
    percent: Number(r.percent),
    startedAt: iso(r.started_at) ?? '',
    updatedAt: iso(r.updated_at) ?? '',
    nextDeadline: iso(r.next_deadline),
    waitingFor: r.waiting_for as string[],
    organisations: r.organisations as string[],
    // Only a run recorded from before Fuusio says so; a run Fuusio ran keeps its shape.
    ...(r.imported === true ? { imported: true as const } : {}),
  };
}
