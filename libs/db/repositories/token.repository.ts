import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../pool';

export const ROLES = ['admin', 'manager', 'auditor', 'integration'] as const;
export type Role = (typeof ROLES)[number];
/** `personId`: the person the token belongs to (null for an integration or a shared token). */
export type TokenOwner = { id: number; name: string; role: Role; organisation: string | null; personId?: string | null };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** API tokens: only their SHA-256 is stored, so the database never holds a usable token. */
export class TokenRepository {
  async create(
    db: Queryable, t: { name: string; role: Role; organisation?: string | null; personId?: string | null },
  ): Promise<{ token: string; owner: TokenOwner }> {
    const token = `fuusio_${t.role}_${randomBytes(24).toString('base64url')}`;
    const r = await db.query<{ id: string }>(
      'INSERT INTO api_tokens (name, role, organisation, token_hash, person_id) VALUES ($1, $2, $3, $4, $5) RETURNING id',
      [t.name, t.role, t.organisation ?? null, hashToken(token), t.personId ?? null],
    );
    return {
      token,
      owner: { id: Number(r.rows[0]?.id), name: t.name, role: t.role, organisation: t.organisation ?? null, personId: t.personId ?? null },
    };
  }

  async findByToken(db: Queryable, token: string): Promise<TokenOwner | null> {
    const r = await db.query(
      'SELECT id, name, role, organisation, person_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL',
      [hashToken(token)],
    );
    const row = r.rows[0];
    return row ? { id: Number(row.id), name: row.name, role: row.role, organisation: row.organisation, personId: row.person_id ?? null } : null;
  }
}
