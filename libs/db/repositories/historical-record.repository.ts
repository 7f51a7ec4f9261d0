import type { HistoricalChange, HistoricalDecision } from '../../domain/historical-record';
import type { Queryable } from '../pool';

export type HistoricalRecordRow = {
  id: string;
  workflowId: string;
  kind: string;
  title: string;
  effectiveDate: string;
  decisions: HistoricalDecision[];
  changes: HistoricalChange[];
  source: string;
  importedBy: string;
  importedAt: string;
  imported: true;
};

/** The columns read, of the table aliased `t` when given. */
const columns = (t = '') => `${t}id, ${t}workflow_id, ${t}kind, ${t}title, to_char(${t}effective_date, 'YYYY-MM-DD') AS effective_date,
  ${t}decisions, ${t}changes, ${t}source, ${t}imported_by, ${t}imported_at`;
const COLUMNS = columns();

/** Processes recorded from before Fuusio: the only SQL for historical_records. */
export class HistoricalRecordRepository {
  async insert(
    db: Queryable,
    r: { workflowId: string; kind: string; title: string; effectiveDate: string; decisions: HistoricalDecision[]; changes: HistoricalChange[]; source: string; importedBy: string },
  ): Promise<HistoricalRecordRow> {
    const x = await db.query(
      `INSERT INTO historical_records (workflow_id, kind, title, effective_date, decisions, changes, source, imported_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING ${COLUMNS}`,
      [r.workflowId, r.kind, r.title, r.effectiveDate, JSON.stringify(r.decisions), JSON.stringify(r.changes), r.source, r.importedBy],
    );
    await db.query('UPDATE process_runs SET imported = true WHERE workflow_id = $1', [r.workflowId]);
    return toRow(x.rows[0]);
  }

  async forWorkflow(db: Queryable, workflowId: string): Promise<HistoricalRecordRow | null> {
    const r = await db.query(`SELECT ${COLUMNS} FROM historical_records WHERE workflow_id = $1`, [workflowId]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  async find(db: Queryable, id: string): Promise<HistoricalRecordRow | null> {
    const r = await db.query(`SELECT ${COLUMNS} FROM historical_records WHERE id::text = $1`, [id]);
    return r.rows[0] ? toRow(r.rows[0]) : null;
  }

  /** Records whose run involves `scope` (every record when null), newest effective date first. */
  async list(db: Queryable, scope: string | null): Promise<HistoricalRecordRow[]> {
    const r = await db.query(
      `SELECT ${columns('h.')} FROM historical_records h
         JOIN process_runs p ON p.workflow_id = h.workflow_id
        WHERE $1::text IS NULL OR p.organisations @> ARRAY[$1::text]
        ORDER BY h.effective_date DESC, h.workflow_id`,
      [scope],
    );
    return r.rows.map(toRow);
  }

  /** The organisations the records ended, with the record that ended each (for the registry diff). */
  async endedOrganisations(db: Queryable): Promise<{ businessId: string; workflowId: string }[]> {
    const r = await db.query<{ business_id: string; workflow_id: string }>(
      `SELECT c->>'businessId' AS business_id, h.workflow_id FROM historical_records h, jsonb_array_elements(h.changes) c
        WHERE c->>'type' = 'organisation.ended'`,
    );
    return r.rows.map((x) => ({ businessId: x.business_id, workflowId: x.workflow_id }));
  }
}

function toRow(r: Record<string, unknown>): HistoricalRecordRow {
  return {
    id: String(r.id),
    workflowId: String(r.workflow_id),
    kind: String(r.kind),
    title: String(r.title),
    effectiveDate: String(r.effective_date),
    decisions: r.decisions as HistoricalDecision[],
    changes: r.changes as HistoricalChange[],
    source: String(r.source),
    importedBy: String(r.imported_by),
    importedAt: (r.imported_at as Date).toISOString(),
    imported: true,
  };
}
