import type { CalendarFeed, CalendarSourceItem } from '../../domain/calendar';
import type { Queryable } from '../pool';

const FEED_COLUMNS = 'id, person_id, organisation, label, created_by, created_at, revoked_at, revoked_by';

export type FeedOwner = { person: string | null; organisation: string | null };

/**
 * The dated items of the running workflows in a feed's scope ($1 a person, $2 an organisation; $3 today):
 *  - scope: an organisation feed, that organisation; a person feed, the organisations where the person holds
 *    a role today or substitutes for someone today. Runs are those that involve one of them;
 *  - decisions: pending approvals with a due time of a party in scope, or naming the person as a member;
 *  - effective dates: a consolidation's receiving centre not yet effective, before the stage's own deadline;
 *  - stage deadlines (`plannedAt` of a running stage) — the scheduled/effective stages as the effective date,
 *    a stage that waits for decisions is left to them (its deadline is theirs);
 *  - project periods not reported: the report's due date, and the end of a period not yet past;
 *  - pending steps with a due time (an integration task), except the project's period steps (see above).
 */
const ITEMS_SQL = `
WITH orgs AS (
  SELECT $2::text AS organisation WHERE $2::text IS NOT NULL
  UNION
  SELECT r.organisation FROM person_roles r
   WHERE r.person_id = $1 AND r.valid_from <= $3::date AND (r.valid_to IS NULL OR r.valid_to >= $3::date)
  UNION
  SELECT d.organisation FROM delegations d WHERE d.to_person = $1 AND d.valid_from <= $3::date AND d.valid_to >= $3::date
),
runs AS (
  SELECT workflow_id, kind, title, stage, stages, updated_at FROM process_runs
   WHERE status = 'running' AND organisations && ARRAY(SELECT organisation FROM orgs)
)
SELECT r.workflow_id || '/decision/' || a.gate || '/' || a.party AS uid, 'decision' AS type, r.workflow_id, r.kind, r.title,
       a.body AS what, NULL::text AS date, a.due_at AS at, r.updated_at, 1 AS source
  FROM approvals a JOIN runs r USING (workflow_id)
 WHERE a.status = 'pending' AND a.due_at IS NOT NULL
   AND (a.party IN (SELECT organisation FROM orgs) OR ($1::text IS NOT NULL AND $1 = ANY(a.members)))
UNION ALL
SELECT DISTINCT r.workflow_id || '/effective', 'effective', r.workflow_id, r.kind, r.title,
       'Effective date', c.effective_date::text, NULL::timestamptz, r.updated_at, 2
  FROM consolidation_receiving c JOIN runs r USING (workflow_id)
 WHERE c.undone_at IS NULL AND c.effective_applied_at IS NULL
UNION ALL
SELECT r.workflow_id || CASE WHEN s->>'key' IN ('scheduled', 'effective') THEN '/effective' ELSE '/stage/' || (s->>'key') END,
       CASE WHEN s->>'key' IN ('scheduled', 'effective') THEN 'effective' ELSE 'deadline' END,
       r.workflow_id, r.kind, r.title, s->>'title', NULL, (s->>'plannedAt')::timestamptz, r.updated_at, 3
  FROM runs r CROSS JOIN LATERAL jsonb_array_elements(r.stages) s
 WHERE s->>'status' IN ('running', 'pending') AND s->>'plannedAt' IS NOT NULL
   AND NOT EXISTS (SELECT 1 FROM approvals a WHERE a.workflow_id = r.workflow_id AND a.status = 'pending' AND r.stage = s->>'key')
UNION ALL
SELECT r.workflow_id || '/report/' || p.period_no, 'report', r.workflow_id, r.kind, r.title,
       'Report for period ' || p.period_no || ' (' || p.starts_on || ' – ' || p.ends_on || ')', p.due_on::text, NULL, r.updated_at, 4
  FROM project_periods p JOIN runs r USING (workflow_id)
 WHERE p.reported_on IS NULL
UNION ALL
SELECT r.workflow_id || '/period-end/' || p.period_no, 'period-end', r.workflow_id, r.kind, r.title,
       'Period ' || p.period_no || ' (' || p.starts_on || ' – ' || p.ends_on || ')', p.ends_on::text, NULL, r.updated_at, 5
  FROM project_periods p JOIN runs r USING (workflow_id)
 WHERE p.reported_on IS NULL AND p.ends_on >= $3::date
UNION ALL
SELECT r.workflow_id || '/step/' || st.step_key, 'task', r.workflow_id, r.kind, r.title, st.title, NULL, st.due_at, r.updated_at, 6
  FROM process_steps st JOIN runs r USING (workflow_id)
 WHERE st.status IN ('pending', 'running') AND st.due_at IS NOT NULL AND st.step_key NOT LIKE 'period.%'
 ORDER BY source, uid`;

/** Calendar feeds (their secrets only as SHA-256) and the dated items a feed shows (the only SQL for them). */
export class CalendarRepository {
  async create(tx: Queryable, f: FeedOwner & { secretHash: string; label: string | null; createdBy: string }): Promise<CalendarFeed> {
    const r = await tx.query(
      `INSERT INTO calendar_feeds (secret_hash, person_id, organisation, label, created_by) VALUES ($1, $2, $3, $4, $5)
       RETURNING ${FEED_COLUMNS}`,
      [f.secretHash, f.person, f.organisation, f.label, f.createdBy],
    );
    return toFeed(r.rows[0]);
  }

  async find(db: Queryable, id: number): Promise<CalendarFeed | null> {
    const r = await db.query(`SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE id = $1`, [id]);
    return r.rows[0] ? toFeed(r.rows[0]) : null;
  }

  /** The live (not revoked) feed with this secret's hash. */
  async bySecretHash(db: Queryable, secretHash: string): Promise<CalendarFeed | null> {
    const r = await db.query(`SELECT ${FEED_COLUMNS} FROM calendar_feeds WHERE secret_hash = $1 AND revoked_at IS NULL`, [secretHash]);
    return r.rows[0] ? toFeed(r.rows[0]) : null;
  }

  /**
   * Feeds in id order: all ($1 and $2 null), a person's own ($1), or those a scoped admin may manage ($2): the
   * organisation's feeds and the feeds of people holding a role there.
   */
  async list(db: Queryable, f: { person?: string | null; organisation?: string | null }): Promise<CalendarFeed[]> {
    const r = await db.query(
      `SELECT ${FEED_COLUMNS} FROM calendar_feeds f
        WHERE ($1::text IS NULL OR f.person_id = $1)
          AND ($2::text IS NULL OR f.organisation = $2
               OR EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = f.person_id AND r.organisation = $2))
        ORDER BY id`,
      [f.person ?? null, f.organisation ?? null],
    );
    return r.rows.map(toFeed);
  }

  /** Marks a feed revoked; null when it was revoked already. */
  async revoke(tx: Queryable, id: number, by: string): Promise<CalendarFeed | null> {
    const r = await tx.query(
      `UPDATE calendar_feeds SET revoked_at = now(), revoked_by = $2 WHERE id = $1 AND revoked_at IS NULL RETURNING ${FEED_COLUMNS}`,
      [id, by],
    );
    return r.rows[0] ? toFeed(r.rows[0]) : null;
  }

  /** Whether a person holds (or held) any role in an organisation: a scoped admin's reach over people. */
  async personInOrganisation(db: Queryable, person: string, organisation: string): Promise<boolean> {
    const r = await db.query('SELECT 1 FROM person_roles WHERE person_id = $1 AND organisation = $2 LIMIT 1', [person, organisation]);
    return (r.rowCount ?? 0) > 0;
  }

  async items(db: Queryable, owner: FeedOwner, today: string): Promise<CalendarSourceItem[]> {
    const r = await db.query(ITEMS_SQL, [owner.person, owner.organisation, today]);
    return r.rows.map((x) => ({
      uid: String(x.uid), type: x.type, workflowId: String(x.workflow_id), kind: String(x.kind), runTitle: String(x.title),
      what: String(x.what), date: x.date ?? null, at: x.at instanceof Date ? x.at.toISOString() : null,
      updatedAt: x.updated_at instanceof Date ? x.updated_at.toISOString() : String(x.updated_at),
    }));
  }
}

const iso = (v: unknown): string | null => (v instanceof Date ? v.toISOString() : v == null ? null : String(v));

function toFeed(x: Record<string, unknown>): CalendarFeed {
  return {
    id: Number(x.id), person: (x.person_id as string | null) ?? null, organisation: (x.organisation as string | null) ?? null,
    label: (x.label as string | null) ?? null, createdBy: String(x.created_by), createdAt: iso(x.created_at) as string,
    revokedAt: iso(x.revoked_at), revokedBy: (x.revoked_by as string | null) ?? null,
  };
}
