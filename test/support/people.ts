import type { Queryable } from '../../libs/db/pool';

export type TestPerson = {
  id: string; email: string; language: 'fi' | 'sv' | 'en'; organisation: string; role: string; body?: string;
  /** Defaults to the id. */
  displayName?: string;
};

/**
 * People for a test, written straight into the people branch's tables (migration 0009): this branch has
 * the tables but not that branch's repository, so the tests insert the rows themselves.
 */
export async function insertPeople(db: Queryable, people: TestPerson[]): Promise<void> {
  for (const p of people) {
    await db.query(
      `INSERT INTO people (id, display_name, email, language) VALUES ($1, $4, $2, $3) ON CONFLICT (id) DO NOTHING`,
      [p.id, p.email, p.language, p.displayName ?? p.id],
    );
    await db.query(
      `INSERT INTO person_roles (person_id, organisation, role, body, valid_from) VALUES ($1, $2, $3, $4, '2024-01-01')
       ON CONFLICT ON CONSTRAINT person_role_once DO NOTHING`,
      [p.id, p.organisation, p.role, p.body ?? null],
    );
  }
}
