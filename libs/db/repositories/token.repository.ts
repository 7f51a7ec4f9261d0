import { createHash, randomBytes } from 'node:crypto';
import type { Queryable } from '../pool';

export const ROLES = ['admin', 'manager', 'auditor', 'integration'] as const;
export type Role = (typeof ROLES)[number];
/** `personId`: the person the token belongs to (null for an integration or a shared token). */
export type TokenOwner = { id: number; name: string; role: Role; organisation: string | null; personId?: string | null };

/** The audit trail's actor for a token: its person where it belongs to one, else its name (`role:who`). */
export function tokenActor(owner: TokenOwner): string {
  return `${owner.role}:${owner.personId ?? owner.name}`;
}

export type TokenState = 'active' | 'expired' | 'revoked';
/** What may be shown of a token: never the token or its hash. `state` is as of the database's clock. */
export type TokenInfo = TokenOwner & { createdAt: string; expiresAt: string | null; revokedAt: string | null; state: TokenState };

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

const INFO_COLUMNS = `id, name, role, organisation, person_id, created_at, expires_at, revoked_at,
  CASE WHEN revoked_at IS NOT NULL THEN 'revoked' WHEN expires_at <= now() THEN 'expired' ELSE 'active' END AS state`;

/** API tokens: only their SHA-256 is stored, so the database never holds a usable token. */
export class TokenRepository {
  async create(
    db: Queryable,
    t: { name: string; role: Role; organisation?: string | null; expiresAt?: Date | null; personId?: string | null },
  ): Promise<{ token: string; owner: TokenOwner; info: TokenInfo }> {
    const token = `fuusio_${t.role}_${randomBytes(24).toString('base64url')}`;
    const r = await db.query(
      `INSERT INTO api_tokens (name, role, organisation, token_hash, expires_at, person_id) VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${INFO_COLUMNS}`,
      [t.name, t.role, t.organisation ?? null, hashToken(token), t.expiresAt ?? null, t.personId ?? null],
    );
    const info = toInfo(r.rows[0]);
    return { token, owner: { id: info.id, name: info.name, role: info.role, organisation: info.organisation, personId: info.personId ?? null }, info };
  }

  /** The owner of a token that is neither revoked nor expired (by the database's clock). */
  async findByToken(db: Queryable, token: string): Promise<TokenOwner | null> {
    const r = await db.query(
      `SELECT id, name, role, organisation, person_id FROM api_tokens
        WHERE token_hash = $1 AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
      [hashToken(token)],
    );
    const row = r.rows[0];
    return row ? { id: Number(row.id), name: row.name, role: row.role, organisation: row.organisation, personId: row.person_id ?? null } : null;
  }

  /** Tokens, newest first; `scope` limits them to those scoped to that organisation. */
  async list(db: Queryable, filter: { scope: string | null }): Promise<TokenInfo[]> {
    const r = await db.query(
      `SELECT ${INFO_COLUMNS} FROM api_tokens WHERE ($1::text IS NULL OR organisation = $1) ORDER BY id DESC`,
      [filter.scope],
    );
    return r.rows.map(toInfo);
  }

  async find(db: Queryable, id: number): Promise<TokenInfo | null> {
    const r = await db.query(`SELECT ${INFO_COLUMNS} FROM api_tokens WHERE id = $1`, [id]);
    return r.rows[0] ? toInfo(r.rows[0]) : null;
  }

  /** Revokes a token once: null when it was already revoked (or does not exist). */
  async revoke(db: Queryable, id: number): Promise<TokenInfo | null> {
    const r = await db.query(
      `UPDATE api_tokens SET revoked_at = now() WHERE id = $1 AND revoked_at IS NULL RETURNING ${INFO_COLUMNS}`,
      [id],
    );
    return r.rows[0] ? toInfo(r.rows[0]) : null;
  }
}

function toInfo(row: Record<string, unknown>): TokenInfo {
  const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : null);
  return {
    id: Number(row.id), name: String(row.name), role: row.role as Role, organisation: (row.organisation as string | null) ?? null,
    personId: (row.person_id as string | null) ?? null,
    createdAt: iso(row.created_at) ?? '', expiresAt: iso(row.expires_at), revokedAt: iso(row.revoked_at), state: row.state as TokenState,
  };
}
