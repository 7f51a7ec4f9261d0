import type { OwnFinancingPlan, ProjectPeriod } from '../../domain/project';
import type { Queryable } from '../pool';

export type ProjectStatus = 'planned' | 'applied' | 'rejected' | 'running' | 'closing' | 'rooting' | 'archived' | 'cancelled';

/** What the lifecycle workflow knows about its project; written whole each time, so a retry writes the same. */
export type ProjectRecord = {
  workflowId: string;
  euraCode: string | null;
  name: string;
  funderId: string;
  leadId: string;
  partnerIds: string[];
  region: string | null;
  startDate: string;
  endDate: string;
  plannedEndDate: string;
  budgetCents: number;
  approvedCents: number | null;
  ownFinancing: OwnFinancingPlan | null;
  reportingPeriodMonths: number;
  predecessorId: string | null;
  status: ProjectStatus;
  decidedOn: string | null;
  decisionReference: string | null;
  note?: string | null;
};

export type PeriodRow = ProjectPeriod & {
  reportedOn: string | null;
  costsCents: number | null;
  reportReference: string | null;
  escalatedOn: string | null;
};
export type IndicatorRow = { key: string; title: string; target: number; actual: number | null; recordedOn: string | null };
export type DocumentRow = { kind: string; key: string; recordedOn: string; detail: Record<string, unknown> };
export type ProjectRow = ProjectRecord & { archivedOn: string | null; retainUntil: string | null; updatedAt: string };
export type ProjectDetail = ProjectRow & { periods: PeriodRow[]; indicators: IndicatorRow[]; documents: DocumentRow[] };

const day = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? isoDay(v) : String(v));
function isoDay(d: Date): string {
  // DATE columns come back as local midnight; format them back without a time-zone shift.
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const dd = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${dd}`;
}
const num = (v: unknown): number | null => (v === null || v === undefined ? null : Number(v));

const PROJECT_COLUMNS = `workflow_id, eura_code, name, funder_id, lead_id, partner_ids, region, start_date::text, end_date::text,
  planned_end_date::text, budget_cents, approved_cents, own_financing, reporting_period_months, predecessor_id, status,
  decided_on::text, decision_reference, archived_on::text, retain_until::text, note, updated_at`;

/** Projects, their periods, reports, indicators and documents: small idempotent writes and the API's reads. */
export class ProjectRepository {
  async upsert(db: Queryable, p: ProjectRecord): Promise<void> {
    await db.query(
      `INSERT INTO projects (workflow_id, eura_code, name, funder_id, lead_id, partner_ids, region, start_date, end_date,
         planned_end_date, budget_cents, approved_cents, own_financing, reporting_period_months, predecessor_id, status,
         decided_on, decision_reference, note)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
       ON CONFLICT (workflow_id) DO UPDATE SET
         eura_code = EXCLUDED.eura_code, name = EXCLUDED.name, partner_ids = EXCLUDED.partner_ids, region = EXCLUDED.region,
         end_date = EXCLUDED.end_date, budget_cents = EXCLUDED.budget_cents, approved_cents = EXCLUDED.approved_cents,
         own_financing = EXCLUDED.own_financing, reporting_period_months = EXCLUDED.reporting_period_months,
         status = EXCLUDED.status, decided_on = EXCLUDED.decided_on, decision_reference = EXCLUDED.decision_reference,
         note = COALESCE(EXCLUDED.note, projects.note), updated_at = now()`,
      [p.workflowId, p.euraCode, p.name, p.funderId, p.leadId, p.partnerIds, p.region, p.startDate, p.endDate,
        p.plannedEndDate, p.budgetCents, p.approvedCents, p.ownFinancing ? JSON.stringify(p.ownFinancing) : null,
        p.reportingPeriodMonths, p.predecessorId, p.status, p.decidedOn, p.decisionReference, p.note ?? null],
    );
  }

  /** Writes the plan: unreported periods take the new dates, unreported ones beyond the plan go. Reported ones never change. */
  async replacePlan(db: Queryable, workflowId: string, periods: readonly ProjectPeriod[]): Promise<void> {
    for (const p of periods) {
      await db.query(
        `INSERT INTO project_periods (workflow_id, period_no, starts_on, ends_on, due_on) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (workflow_id, period_no) DO UPDATE SET starts_on = EXCLUDED.starts_on, ends_on = EXCLUDED.ends_on,
           due_on = EXCLUDED.due_on WHERE project_periods.reported_on IS NULL`,
        [workflowId, p.no, p.start, p.end, p.dueOn],
      );
    }
    await db.query('DELETE FROM project_periods WHERE workflow_id = $1 AND period_no > $2 AND reported_on IS NULL', [workflowId, periods.length]);
  }

  /** Sets a period's report once; a second call changes nothing. Returns whether this call wrote it. */
  async recordReport(db: Queryable, r: { workflowId: string; periodNo: number; reportedOn: string; costsCents: number; reference: string | null }): Promise<boolean> {
    const res = await db.query(
      `UPDATE project_periods SET reported_on = $3, costs_cents = $4, report_reference = $5
       WHERE workflow_id = $1 AND period_no = $2 AND reported_on IS NULL`,
      [r.workflowId, r.periodNo, r.reportedOn, r.costsCents, r.reference],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async markEscalated(db: Queryable, workflowId: string, periodNo: number, on: string): Promise<void> {
    await db.query('UPDATE project_periods SET escalated_on = $3 WHERE workflow_id = $1 AND period_no = $2 AND escalated_on IS NULL', [workflowId, periodNo, on]);
  }

  async defineIndicators(db: Queryable, workflowId: string, indicators: readonly { key: string; title: string; target: number }[]): Promise<void> {
    for (const i of indicators) {
      await db.query(
        'INSERT INTO project_indicators (workflow_id, key, title, target) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [workflowId, i.key, i.title, i.target],
      );
    }
  }

  /** The latest actual of an indicator (an actual is a running total, so the same value again is the same write). */
  async recordActual(db: Queryable, workflowId: string, key: string, actual: number, on: string): Promise<void> {
    await db.query('UPDATE project_indicators SET actual = $3, recorded_on = $4 WHERE workflow_id = $1 AND key = $2', [workflowId, key, actual, on]);
  }

  async addDocument(db: Queryable, workflowId: string, d: DocumentRow): Promise<boolean> {
    const res = await db.query(
      'INSERT INTO project_documents (workflow_id, kind, doc_key, recorded_on, detail) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING',
      [workflowId, d.kind, d.key, d.recordedOn, JSON.stringify(d.detail)],
    );
    return (res.rowCount ?? 0) > 0;
  }

  async archive(db: Queryable, workflowId: string, archivedOn: string, retainUntil: string): Promise<void> {
    await db.query(
      `UPDATE projects SET status = 'archived', archived_on = $2, retain_until = $3, updated_at = now()
       WHERE workflow_id = $1 AND archived_on IS NULL`,
      [workflowId, archivedOn, retainUntil],
    );
  }

  /** Projects newest first; a scoped reader sees only those its organisation funds, leads or partners in. */
  async list(db: Queryable, f: { scope: string | null; code?: string; limit: number }): Promise<ProjectRow[]> {
    const r = await db.query(
      `SELECT ${PROJECT_COLUMNS} FROM projects
       WHERE ($1::text IS NULL OR funder_id = $1 OR lead_id = $1 OR $1 = ANY (partner_ids))
         AND ($2::text IS NULL OR eura_code = $2)
       ORDER BY start_date DESC, workflow_id LIMIT $3`,
      [f.scope, f.code ?? null, f.limit],
    );
    return r.rows.map(toProject);
  }

  async find(db: Queryable, workflowId: string): Promise<ProjectRow | null> {
    const r = await db.query(`SELECT ${PROJECT_COLUMNS} FROM projects WHERE workflow_id = $1`, [workflowId]);
    return r.rows[0] ? toProject(r.rows[0]) : null;
  }

  /** The latest-ending phase with this EURA code, or the project with this workflow id. */
  async resolve(db: Queryable, codeOrKey: string): Promise<ProjectRow | null> {
    const r = await db.query(
      `SELECT ${PROJECT_COLUMNS} FROM projects WHERE workflow_id = $1 OR eura_code = $1 ORDER BY end_date DESC LIMIT 1`,
      [codeOrKey],
    );
    return r.rows[0] ? toProject(r.rows[0]) : null;
  }

  /** Every phase linked to this one through predecessor links, first phase first. */
  async chain(db: Queryable, workflowId: string): Promise<ProjectRow[]> {
    const r = await db.query(
      `WITH RECURSIVE back AS (
         SELECT workflow_id, predecessor_id FROM projects WHERE workflow_id = $1
         UNION SELECT p.workflow_id, p.predecessor_id FROM projects p JOIN back b ON p.workflow_id = b.predecessor_id
       ), fwd AS (
         SELECT workflow_id FROM projects WHERE workflow_id = $1
         UNION SELECT p.workflow_id FROM projects p JOIN fwd f ON p.predecessor_id = f.workflow_id
       )
       SELECT ${PROJECT_COLUMNS} FROM projects
       WHERE workflow_id IN (SELECT workflow_id FROM back UNION SELECT workflow_id FROM fwd)
       ORDER BY start_date, workflow_id`,
      [workflowId],
    );
    return r.rows.map(toProject);
  }

  async detail(db: Queryable, project: ProjectRow): Promise<ProjectDetail> {
    const periods = await db.query(
      `SELECT period_no, starts_on::text, ends_on::text, due_on::text, reported_on::text, costs_cents, report_reference, escalated_on::text
       FROM project_periods WHERE workflow_id = $1 ORDER BY period_no`,
      [project.workflowId],
    );
    const indicators = await db.query(
      'SELECT key, title, target, actual, recorded_on::text FROM project_indicators WHERE workflow_id = $1 ORDER BY key',
      [project.workflowId],
    );
    const documents = await db.query(
      'SELECT kind, doc_key, recorded_on::text, detail FROM project_documents WHERE workflow_id = $1 ORDER BY recorded_on, kind, doc_key',
      [project.workflowId],
    );
    return {
      ...project,
      periods: periods.rows.map((x) => ({
        no: x.period_no, start: x.starts_on, end: x.ends_on, dueOn: x.due_on, reportedOn: x.reported_on,
        costsCents: num(x.costs_cents), reportReference: x.report_reference, escalatedOn: x.escalated_on,
      })),
      indicators: indicators.rows.map((x) => ({ key: x.key, title: x.title, target: Number(x.target), actual: num(x.actual), recordedOn: x.recorded_on })),
      documents: documents.rows.map((x) => ({ kind: x.kind, key: x.doc_key, recordedOn: x.recorded_on, detail: x.detail })),
    };
  }
}

function toProject(r: Record<string, unknown>): ProjectRow {
  return {
    workflowId: String(r.workflow_id),
    euraCode: (r.eura_code as string | null) ?? null,
    name: String(r.name),
    funderId: String(r.funder_id),
    leadId: String(r.lead_id),
    partnerIds: (r.partner_ids as string[]) ?? [],
    region: (r.region as string | null) ?? null,
    startDate: String(day(r.start_date)),
    endDate: String(day(r.end_date)),
    plannedEndDate: String(day(r.planned_end_date)),
    budgetCents: Number(r.budget_cents),
    approvedCents: num(r.approved_cents),
    ownFinancing: (r.own_financing as OwnFinancingPlan | null) ?? null,
    reportingPeriodMonths: Number(r.reporting_period_months),
    predecessorId: (r.predecessor_id as string | null) ?? null,
    status: r.status as ProjectStatus,
    decidedOn: day(r.decided_on),
    decisionReference: (r.decision_reference as string | null) ?? null,
    archivedOn: day(r.archived_on),
    retainUntil: day(r.retain_until),
    note: (r.note as string | null) ?? null,
    updatedAt: r.updated_at instanceof Date ? r.updated_at.toISOString() : String(r.updated_at),
  };
}
