import type { ExpectedEvent, GateBody, InboxItem, InboxItemType } from '../../domain/inbox';
import type { Queryable } from '../pool';

export type InboxCursor = { rank: number; due: string; workflowId: string; key: string };
export type InboxFilter = {
  personId: string;
  /** The day delegations and roles are valid on (YYYY-MM-DD). */
  today: string;
  /** An item due before this instant is overdue (the start of today in Helsinki: libs/domain/helsinki-time.ts). */
  overdueBefore: string;
  /** Only runs that involve this organisation (a scoped token). */
  scope: string | null;
  kind?: string;
  type?: InboxItemType;
  overdue?: boolean;
  cursor?: InboxCursor;
  limit: number;
};

/**
 * One row per open item that waits for $1, from the projection (running runs only):
 *  - decisions: pending approvals whose body is due now (the run waits for it) and whose members name
 *    the person or someone who delegated to them, not yet voted by either; approvals without members go
 *    to the holders of a role in the party's body: the body GATE_BODIES ($14) names for the gate, else
 *    a chain gate's body key (`decisions/verso-board`), else the gate itself (`board`);
 *  - events: what a stage expects from a role of one of the run's organisations ($5, EXPECTED_EVENTS);
 *  - tasks: pending steps addressed to a role (`detail.assignee`), except to the person who must not act (`notBy`).
 * "Acting as" a person is the person themselves or, within a delegation's days, whom they substitute.
 */
/**
 * The approval's body is one the run waits for now: `waiting_for` names it alone (ApprovalGate) or
 * after its party's label (a decision chain: "Verso: Joint municipal authority board").
 */
const DUE_NOW = `EXISTS (SELECT 1 FROM unnest(r.waiting_for) w WHERE w = a.body OR right(w, length(a.body) + 2) = ': ' || a.body)`;

const INBOX_SQL = `
WITH acting AS (
  SELECT $1::text AS person, NULL::text AS for_person, NULL::text AS organisation, NULL::text AS role
  UNION ALL
  SELECT d.from_person, d.from_person, d.organisation, d.role FROM delegations d
   WHERE d.to_person = $1 AND d.valid_from <= $2::date AND d.valid_to >= $2::date
),
held AS (
  SELECT a.person, a.for_person, r.organisation, r.role, r.body FROM acting a
    JOIN person_roles r ON r.person_id = a.person
   WHERE r.valid_from <= $2::date AND (r.valid_to IS NULL OR r.valid_to >= $2::date)
     AND (a.organisation IS NULL OR (a.organisation = r.organisation AND a.role = r.role))
),
runs AS (
  SELECT * FROM process_runs WHERE status = 'running' AND ($4::text IS NULL OR organisations @> ARRAY[$4::text])
),
items AS (
  SELECT 'decision' AS type, 'approval:' || a.gate || ':' || a.party || COALESCE(':for:' || x.for_person, '') AS key,
         r.workflow_id, r.kind, r.title, r.stage, 'Decide for ' || a.body AS what, a.party AS organisation,
         a.gate, a.party, a.body, NULL::text AS event, x.for_person AS on_behalf_of, a.due_at,
         a.quorum, a.members, a.votes
    FROM approvals a JOIN runs r USING (workflow_id)
    JOIN acting x ON x.person = ANY(a.members) AND (x.organisation IS NULL OR x.organisation = a.party)
   WHERE a.status = 'pending' AND a.members IS NOT NULL AND ${DUE_NOW}
     AND NOT EXISTS (SELECT 1 FROM jsonb_array_elements(a.votes) v
                      WHERE v->>'member' = x.person OR COALESCE(v->>'by', v->>'member') = $1)
  UNION ALL
  SELECT DISTINCT 'decision', 'approval:' || a.gate || ':' || a.party || COALESCE(':for:' || h.for_person, ''),
         r.workflow_id, r.kind, r.title, r.stage, 'Decide for ' || a.body, a.party,
         a.gate, a.party, a.body, NULL::text, h.for_person, a.due_at, NULL::int, NULL::text[], NULL::jsonb
    FROM approvals a JOIN runs r USING (workflow_id)
    JOIN held h ON h.organisation = a.party
               AND h.body = COALESCE(
                 (SELECT g.body FROM jsonb_to_recordset($14::jsonb) AS g(prefix text, body text) WHERE starts_with(a.gate, g.prefix) LIMIT 1),
                 CASE WHEN position('/' IN a.gate) > 0 THEN split_part(a.gate, '/', 2) ELSE a.gate END)
   WHERE a.status = 'pending' AND a.members IS NULL AND ${DUE_NOW}
  UNION ALL
  SELECT DISTINCT 'event', 'event:' || e.event || COALESCE(':for:' || h.for_person, ''),
         r.workflow_id, r.kind, r.title, r.stage, e.what, h.organisation,
         NULL, NULL, NULL, e.event, h.for_person, r.next_deadline, NULL::int, NULL::text[], NULL::jsonb
    FROM runs r
    JOIN jsonb_to_recordset($5::jsonb) AS e(kind text, stage text, event text, organisation int, role text, what text)
      ON e.kind = r.kind AND e.stage = r.stage
    JOIN held h ON h.organisation = r.organisations[e.organisation + 1] AND h.role = e.role
  UNION ALL
  SELECT DISTINCT 'task', 'task:' || s.step_key || COALESCE(':for:' || h.for_person, ''),
         r.workflow_id, r.kind, r.title, r.stage, s.title, h.organisation,
         NULL, NULL, NULL, s.detail->>'event', h.for_person, COALESCE(s.due_at, r.next_deadline), NULL::int, NULL::text[], NULL::jsonb
    FROM process_steps s JOIN runs r USING (workflow_id)
    JOIN held h ON h.organisation = s.detail->'assignee'->>'organisation' AND h.role = s.detail->'assignee'->>'role'
   WHERE s.status = 'pending' AND s.detail ? 'assignee' AND COALESCE(s.detail->>'notBy', '') <> $1
),
ranked AS (
  SELECT i.*, CASE WHEN i.due_at < $3::timestamptz THEN 0 WHEN i.due_at IS NOT NULL THEN 1 ELSE 2 END AS rank,
         COALESCE(i.due_at, 'infinity'::timestamptz) AS due_key
    FROM items i
)
SELECT * FROM ranked
 WHERE ($6::text IS NULL OR kind = $6) AND ($7::text IS NULL OR type = $7) AND ($8::boolean IS NOT TRUE OR rank = 0)
   AND ($9::int IS NULL OR (rank, due_key, workflow_id, key) > ($9::int, $10::timestamptz, $11::text, $12::text))
 ORDER BY rank, due_key, workflow_id, key
 LIMIT $13`;

/** Reads a person's inbox from the projection and the directory. */
export class InboxRepository {
  async list(
    db: Queryable, f: InboxFilter, expected: readonly ExpectedEvent[], gateBodies: readonly GateBody[],
  ): Promise<(InboxItem & { cursor: InboxCursor })[]> {
    const r = await db.query(INBOX_SQL, [
      f.personId, f.today, f.overdueBefore, f.scope, JSON.stringify(expected), f.kind ?? null, f.type ?? null, f.overdue ?? null,
      f.cursor?.rank ?? null, f.cursor?.due ?? null, f.cursor?.workflowId ?? null, f.cursor?.key ?? null, f.limit,
      JSON.stringify(gateBodies),
    ]);
    return r.rows.map((row) => ({
      key: row.key, type: row.type, workflowId: row.workflow_id, kind: row.kind, title: row.title, stage: row.stage, what: row.what,
      organisation: row.organisation, gate: row.gate, party: row.party, body: row.body, event: row.event, onBehalfOf: row.on_behalf_of,
      dueAt: row.due_at instanceof Date ? row.due_at.toISOString() : null, overdue: row.rank === 0,
      ...(row.members ? { quorum: row.quorum, members: row.members, votes: row.votes } : {}),
      cursor: {
        rank: row.rank, workflowId: row.workflow_id, key: row.key,
        due: row.due_key instanceof Date ? row.due_key.toISOString() : 'infinity',
      },
    }));
  }
}
