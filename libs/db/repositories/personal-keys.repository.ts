import { randomBytes, randomUUID } from 'node:crypto';
import type { Queryable } from '../pool';

/** A key that seals personal values: one readable key per workflow and author at a time. */
export type PersonalKey = { keyId: string; secret: Buffer };

export class PersonalKeysRepository {
  /**
   * The readable key for a workflow and author (the audit trail's actor label, or null), created on
   * first use. After the author's data was erased, what they send later is sealed under a new key.
   */
  async keyFor(db: Queryable, workflowId: string, author: string | null): Promise<PersonalKey> {
    const readable = () => db.query<{ key_id: string; secret: Buffer }>(
      `SELECT key_id, secret FROM personal_data_keys
        WHERE workflow_id = $1 AND coalesce(author, '') = coalesce($2, '') AND shredded_at IS NULL`,
      [workflowId, author],
    );
    let row = (await readable()).rows[0];
    if (!row) {
      // Two first uses at once: the unique index lets one insert win, and both read the winner.
      await db.query(
        `INSERT INTO personal_data_keys (key_id, workflow_id, author, secret) VALUES ($1, $2, $3, $4)
          ON CONFLICT (workflow_id, coalesce(author, '')) WHERE shredded_at IS NULL DO NOTHING`,
        [randomUUID(), workflowId, author, randomBytes(32)],
      );
      row = (await readable()).rows[0];
    }
    if (!row) throw new Error(`no personal data key for ${workflowId} could be created`);
    return { keyId: row.key_id, secret: row.secret };
  }

  /** The secret of a key id, or null when unknown or shredded. */
  async key(db: Queryable, keyId: string): Promise<PersonalKey | null> {
    const r = await db.query<{ secret: Buffer | null }>('SELECT secret FROM personal_data_keys WHERE key_id = $1', [keyId]);
    const secret = r.rows[0]?.secret;
    return secret ? { keyId, secret } : null;
  }

  /** Shreds a workflow's readable keys (only the author's when named); returns the key ids shredded now. */
  async shred(db: Queryable, r: { workflowId: string; author?: string; by: string; reason: string }): Promise<string[]> {
    const shredded = await db.query<{ key_id: string }>(
      `UPDATE personal_data_keys SET secret = NULL, shredded_at = now(), shredded_by = $3, shred_reason = $4
        WHERE workflow_id = $1 AND ($2::text IS NULL OR author = $2) AND shredded_at IS NULL
        RETURNING key_id`,
      [r.workflowId, r.author ?? null, r.by, r.reason],
    );
    return shredded.rows.map((row) => row.key_id).sort();
  }
}
