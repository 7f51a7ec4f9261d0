import type { Queryable } from '../pool';

export type Recipient = {
  personId: string; email: string; language: 'fi' | 'sv' | 'en'; displayName: string | null;
  /** immediate, or daily: their mail waits for the day's digest. */
  notify: 'immediate' | 'daily';
  /**
   * Whom they receive this for when they receive it only as a substitute (the people who handed them the
   * role, by id, sorted); empty when they hold the role themselves.
   */
  onBehalfOf: string[];
};

export type RecipientQuery = {
  /** The organisation whose role holders are meant; not needed when `personIds` names the people. */
  organisation?: string;
  /** Only holders of one of these roles (e.g. the escalation roles). */
  roles?: string[];
  /** Only people whose role sits in this deciding body (the key approvals and decision chains use). */
  body?: string;
  /** Named people (a gate's members): taken as they are, whatever roles they hold. */
  personIds?: string[];
  /**
   * Also the substitutes: whoever a matching person has handed the role to for a range that includes today
   * (`delegations`), so reminders and approval mails for the role reach the one acting for it. With named
   * people, a delegation of any role they hold in `organisation` (where given) counts.
   */
  withSubstitutes?: boolean;
};

/**
 * Who a message goes to: the one place that reads the people directory (`people`, `person_roles` of
 * migration 0009). Only people with an e-mail address who are not erased; roles and delegations valid today
 * by the database's clock (a substitute receives even where the person they stand in for has no address).
 * Ordered by id so the outbox rows come out in a stable order.
 */
export async function recipientsFor(db: Queryable, q: RecipientQuery): Promise<Recipient[]> {
  if (!q.organisation && !q.personIds) throw new Error('recipientsFor needs an organisation or person ids');
  const r = await db.query<{
    id: string; email: string; language: Recipient['language']; display_name: string | null; notify: Recipient['notify']; on_behalf_of: string[];
  }>(
    `WITH holders AS (
       SELECT id AS person, NULL::text AS organisation, NULL::text AS role FROM unnest($4::text[]) id
       UNION ALL
       SELECT r.person_id, r.organisation, r.role FROM person_roles r
        WHERE $4::text[] IS NULL AND r.organisation = $1
          AND ($2::text[] IS NULL OR r.role = ANY($2::text[]))
          AND ($3::text IS NULL OR r.body = $3)
          AND r.valid_from <= (now() AT TIME ZONE 'Europe/Helsinki')::date AND (r.valid_to IS NULL OR r.valid_to >= (now() AT TIME ZONE 'Europe/Helsinki')::date)
     ),
     substitutes AS (
       SELECT d.to_person AS person, d.from_person AS for_person FROM delegations d JOIN holders h ON d.from_person = h.person
        WHERE $5::boolean AND d.valid_from <= (now() AT TIME ZONE 'Europe/Helsinki')::date AND d.valid_to >= (now() AT TIME ZONE 'Europe/Helsinki')::date
          AND ($1::text IS NULL OR d.organisation = $1)
          AND (h.role IS NULL OR (d.organisation = h.organisation AND d.role = h.role))
     )
     SELECT p.id, p.email, p.language, p.display_name, p.notify,
            CASE WHEN p.id IN (SELECT person FROM holders) THEN '{}'::text[]
                 ELSE ARRAY(SELECT DISTINCT s.for_person FROM substitutes s WHERE s.person = p.id ORDER BY 1) END AS on_behalf_of
       FROM people p
      WHERE p.email IS NOT NULL AND p.erased_at IS NULL
        AND (p.id IN (SELECT person FROM holders) OR p.id IN (SELECT person FROM substitutes))
      ORDER BY p.id`,
    [q.organisation ?? null, q.roles ?? null, q.body ?? null, q.personIds ?? null, q.withSubstitutes ?? false],
  );
  return r.rows.map((x) => ({
    personId: x.id, email: x.email, language: x.language, displayName: x.display_name, notify: x.notify, onBehalfOf: x.on_behalf_of,
  }));
}

/** The display names of people (null for one erased), for texts that name them; unknown ids are left out. */
export async function displayNames(db: Queryable, personIds: readonly string[]): Promise<Map<string, string | null>> {
  if (personIds.length === 0) return new Map();
  const r = await db.query<{ id: string; display_name: string | null }>('SELECT id, display_name FROM people WHERE id = ANY($1::text[])', [personIds]);
  return new Map(r.rows.map((x) => [x.id, x.display_name]));
}

export type PendingApproval = { gate: string; party: string; dueAt: string | null; undecidedMembers: string[] | null };

/**
 * The approvals of a workflow still waiting for a party, with the named members (0009's `members`) who
 * have not voted yet; null where the gate has no named members (the body's role holders decide).
 */
export async function pendingApprovals(db: Queryable, workflowId: string, party: string): Promise<PendingApproval[]> {
  const r = await db.query<{ gate: string; party: string; due_at: Date | null; undecided: string[] | null }>(
    `SELECT gate, party, due_at,
            CASE WHEN members IS NULL THEN NULL
                 ELSE ARRAY(SELECT m FROM unnest(members) m WHERE NOT votes @> jsonb_build_array(jsonb_build_object('member', m))) END
              AS undecided
       FROM approvals WHERE workflow_id = $1 AND party = $2 AND status = 'pending' ORDER BY gate`,
    [workflowId, party],
  );
  return r.rows.map((x) => ({ gate: x.gate, party: x.party, dueAt: x.due_at ? x.due_at.toISOString() : null, undecidedMembers: x.undecided }));
}
