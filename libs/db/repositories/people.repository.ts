import type { Delegation, DelegationInput, Person, PersonInput, PersonRole, RoleInput } from '../../domain/people';
import type { Queryable } from '../pool';

const PERSON_COLUMNS = 'id, display_name, email, language, erased_at';
const ROLE_COLUMNS = 'id, person_id, organisation, role, body, valid_from::text, valid_to::text';
const DELEGATION_COLUMNS = 'id, from_person, to_person, organisation, role, valid_from::text, valid_to::text, created_by';

/** The directory of people, their roles and their substitutes (the only SQL for them). */
export class PeopleRepository {
  /** Inserts a person; false when the id is taken (nothing written). */
  async insert(db: Queryable, p: PersonInput): Promise<boolean> {
    const r = await db.query(
      `INSERT INTO people (id, display_name, email, language) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO NOTHING`,
      [p.id, p.displayName, p.email ?? null, p.language],
    );
    return (r.rowCount ?? 0) === 1;
  }

  /** Seeds keep demo people as they are defined; an erased person stays erased. */
  async upsert(db: Queryable, p: PersonInput): Promise<void> {
    await db.query(
      `INSERT INTO people (id, display_name, email, language) VALUES ($1, $2, $3, $4)
       ON CONFLICT (id) DO UPDATE SET display_name = EXCLUDED.display_name, email = EXCLUDED.email, language = EXCLUDED.language
        WHERE people.erased_at IS NULL`,
      [p.id, p.displayName, p.email ?? null, p.language],
    );
  }

  /** A person's mail preference (null for an unknown person). */
  async notifyOf(db: Queryable, id: string): Promise<'immediate' | 'daily' | null> {
    const r = await db.query<{ notify: 'immediate' | 'daily' }>('SELECT notify FROM people WHERE id = $1', [id]);
    return r.rows[0]?.notify ?? null;
  }

  /** Sets it; false for an unknown person. */
  async setNotify(db: Queryable, id: string, notify: 'immediate' | 'daily'): Promise<boolean> {
    const r = await db.query('UPDATE people SET notify = $2 WHERE id = $1', [id, notify]);
    return (r.rowCount ?? 0) === 1;
  }

  async find(db: Queryable, id: string): Promise<Person | null> {
    const r = await db.query(`SELECT ${PERSON_COLUMNS} FROM people WHERE id = $1`, [id]);
    return r.rows[0] ? toPerson(r.rows[0]) : null;
  }

  async existing(db: Queryable, ids: string[]): Promise<Set<string>> {
    const r = await db.query<{ id: string }>('SELECT id FROM people WHERE id = ANY($1::text[])', [ids]);
    return new Set(r.rows.map((x) => x.id));
  }

  /** People in id order, keyset-paged; optionally only those holding a role in an organisation. */
  async list(db: Queryable, f: { organisation?: string; after?: string; limit: number }): Promise<Person[]> {
    const r = await db.query(
      `SELECT ${PERSON_COLUMNS} FROM people p
        WHERE ($1::text IS NULL OR EXISTS (SELECT 1 FROM person_roles r WHERE r.person_id = p.id AND r.organisation = $1))
          AND ($2::text IS NULL OR p.id > $2)
        ORDER BY p.id LIMIT $3`,
      [f.organisation ?? null, f.after ?? null, f.limit],
    );
    return r.rows.map(toPerson);
  }

  /** Clears the personal data; false when there is no such person or it is already erased. */
  async erase(db: Queryable, id: string): Promise<boolean> {
    const r = await db.query(
      'UPDATE people SET display_name = NULL, email = NULL, erased_at = now() WHERE id = $1 AND erased_at IS NULL',
      [id],
    );
    return (r.rowCount ?? 0) === 1;
  }

  async addRole(db: Queryable, personId: string, role: RoleInput): Promise<PersonRole | null> {
    const r = await db.query(
      `INSERT INTO person_roles (person_id, organisation, role, body, valid_from, valid_to) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT ON CONSTRAINT person_role_once DO NOTHING RETURNING ${ROLE_COLUMNS}`,
      [personId, role.organisation, role.role, role.body ?? null, role.validFrom, role.validTo ?? null],
    );
    return r.rows[0] ? toRole(r.rows[0]) : null;
  }

  async rolesOf(db: Queryable, personIds: string[]): Promise<PersonRole[]> {
    const r = await db.query(`SELECT ${ROLE_COLUMNS} FROM person_roles WHERE person_id = ANY($1::text[]) ORDER BY person_id, organisation, role, valid_from`, [personIds]);
    return r.rows.map(toRole);
  }

  /** Who holds one of `roles` in an organisation on a day (optionally only in one body), in id order. */
  async holders(db: Queryable, q: { organisation: string; roles: readonly string[]; body?: string | null; on: string }): Promise<string[]> {
    const r = await db.query<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM person_roles
        WHERE organisation = $1 AND role = ANY($2::text[]) AND ($3::text IS NULL OR body = $3)
          AND valid_from <= $4::date AND (valid_to IS NULL OR valid_to >= $4::date)
        ORDER BY person_id`,
      [q.organisation, [...q.roles], q.body ?? null, q.on],
    );
    return r.rows.map((x) => x.person_id);
  }

  /** Whether a person holds a role in an organisation for the whole of [from, to]. */
  async holdsThroughout(db: Queryable, q: { personId: string; organisation: string; role: string; from: string; to: string }): Promise<boolean> {
    const r = await db.query(
      `SELECT 1 FROM person_roles
        WHERE person_id = $1 AND organisation = $2 AND role = $3 AND valid_from <= $4::date AND (valid_to IS NULL OR valid_to >= $5::date)
        LIMIT 1`,
      [q.personId, q.organisation, q.role, q.from, q.to],
    );
    return (r.rowCount ?? 0) > 0;
  }

  /** Delegations of the same role of the same person that share a day with [from, to]. */
  async overlapping(db: Queryable, d: DelegationInput): Promise<Delegation[]> {
    const r = await db.query(
      `SELECT ${DELEGATION_COLUMNS} FROM delegations
        WHERE from_person = $1 AND organisation = $2 AND role = $3 AND daterange(valid_from, valid_to, '[]') && daterange($4::date, $5::date, '[]')
        ORDER BY valid_from`,
      [d.fromPerson, d.organisation, d.role, d.validFrom, d.validTo],
    );
    return r.rows.map(toDelegation);
  }

  async insertDelegation(db: Queryable, d: DelegationInput, createdBy: string): Promise<Delegation> {
    const r = await db.query(
      `INSERT INTO delegations (from_person, to_person, organisation, role, valid_from, valid_to, created_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING ${DELEGATION_COLUMNS}`,
      [d.fromPerson, d.toPerson, d.organisation, d.role, d.validFrom, d.validTo, createdBy],
    );
    return toDelegation(r.rows[0]);
  }

  /** Delegations from or to a person, newest start first. */
  async delegationsOf(db: Queryable, personId: string): Promise<Delegation[]> {
    const r = await db.query(
      `SELECT ${DELEGATION_COLUMNS} FROM delegations WHERE from_person = $1 OR to_person = $1 ORDER BY valid_from DESC, id DESC`,
      [personId],
    );
    return r.rows.map(toDelegation);
  }

  /** The people who have handed a role in an organisation to `toPerson` on day `on`. */
  async delegatorsTo(db: Queryable, q: { toPerson: string; organisation: string; on: string }): Promise<Delegation[]> {
    const r = await db.query(
      `SELECT ${DELEGATION_COLUMNS} FROM delegations
        WHERE to_person = $1 AND organisation = $2 AND valid_from <= $3::date AND valid_to >= $3::date ORDER BY from_person`,
      [q.toPerson, q.organisation, q.on],
    );
    return r.rows.map(toDelegation);
  }
}

function toPerson(r: Record<string, unknown>): Person {
  return {
    id: String(r.id),
    displayName: (r.display_name as string | null) ?? null,
    email: (r.email as string | null) ?? null,
    language: String(r.language),
    erasedAt: r.erased_at instanceof Date ? r.erased_at.toISOString() : null,
  };
}

function toRole(r: Record<string, unknown>): PersonRole {
  return {
    id: Number(r.id), personId: String(r.person_id), organisation: String(r.organisation), role: r.role as PersonRole['role'],
    body: (r.body as string | null) ?? null, validFrom: String(r.valid_from), validTo: (r.valid_to as string | null) ?? null,
  };
}

function toDelegation(r: Record<string, unknown>): Delegation {
  return {
    id: Number(r.id), fromPerson: String(r.from_person), toPerson: String(r.to_person), organisation: String(r.organisation),
    role: r.role as Delegation['role'], validFrom: String(r.valid_from), validTo: String(r.valid_to), createdBy: String(r.created_by),
  };
}
