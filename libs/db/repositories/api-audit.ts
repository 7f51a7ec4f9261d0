import type { Pool } from 'pg';
import { restorePersonal, type PersonalFields } from '../../domain/personal-data';
import { canonicalJson } from '../canonical-json';
import { withTransaction, type Queryable } from '../pool';
import { AuditRepository, type AuditEventRow } from './audit.repository';
import { TokenRepository, type Role, type TokenInfo, type TokenOwner } from './token.repository';

/** The idempotency key of the audit event of one API call: a retried write of the same call adds nothing. */
export function apiAuditKey(requestId: string): string {
  return `api#${requestId}`;
}

export type ApiAuditInput = {
  requestId: string;
  workflowId: string | null;
  action: string;
  actor: string;
  payload: Record<string, unknown>;
};

/**
 * Appends the audit event of an API call under `api#<requestId>` (call inside a transaction). The same
 * write again (a retry: same action, workflow, actor and payload) adds nothing and returns null. A client
 * that sends one x-request-id with different calls must not hide the later ones, so a different call under
 * a used id goes to `api#<requestId>#2`, `#3`, … marked with `requestIdReused`.
 */
export async function appendApiEvent(tx: Queryable, input: ApiAuditInput, audit = new AuditRepository()): Promise<AuditEventRow | null> {
  const base = apiAuditKey(input.requestId);
  const payload = { ...input.payload, requestId: input.requestId };
  for (let n = 1; n <= 100; n += 1) {
    const idempotencyKey = n === 1 ? base : `${base}#${n}`;
    const attempt = n === 1 ? payload : { ...payload, requestIdReused: true };
    const row = await audit.append(tx, { idempotencyKey, workflowId: input.workflowId, action: input.action, actor: input.actor, payload: attempt });
    if (row) return row;
    const seen = await tx.query<{ workflow_id: string | null; action: string; actor: string; payload: Record<string, unknown>; fields: PersonalFields | null }>(
      `SELECT e.workflow_id, e.action, e.actor, e.payload, p.fields
         FROM audit_events e LEFT JOIN audit_personal p ON p.seq = e.seq WHERE e.idempotency_key = $1`,
      [idempotencyKey],
    );
    const prior = seen.rows[0];
    const sameCall = prior && prior.workflow_id === input.workflowId && prior.action === input.action && prior.actor === input.actor
      && canonicalJson(payloadAsCalled(prior.payload, prior.fields)) === canonicalJson(JSON.parse(canonicalJson(attempt)));
    if (sameCall) return null;
  }
  throw new Error(`request id ${input.requestId} has been used for too many different calls`);
}

/** A stored payload as the call gave it: the personal fields put back, the digest that stood in for them dropped. */
function payloadAsCalled(chained: Record<string, unknown>, personal: PersonalFields | null): Record<string, unknown> {
  const { personalDigest: _digest, ...rest } = chained;
  return restorePersonal(rest, personal);
}

/**
 * Writes the audit event of an API call that has already succeeded, in its own transaction. A passing
 * database hiccup is retried (the idempotency key makes that safe); a write that still fails is thrown,
 * so an unaudited change never looks like a clean success.
 */
export async function recordApiEvent(pool: Pool, input: ApiAuditInput, attempts = 3): Promise<AuditEventRow | null> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await withTransaction(pool, (tx) => appendApiEvent(tx, input));
    } catch (err) {
      if (attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
  }
}

export type TokenCreation = { name: string; role: Role; organisation?: string | null; expiresAt?: Date | null; personId?: string | null };
/** Who creates or revokes the token: `actor` as `role:name` (or `cli:<operator>`), and the API request id if any. */
export type TokenCreator = { actor: string; requestId?: string };

/**
 * Creates an API token and its audit event (`api.token.created`) in one transaction: there is never a
 * token without its record. The event names the token's id, name, role, organisation and expiry, never
 * the token or its hash. From the API the key is `api#<requestId>`; from the command line `token#<id>`.
 */
export async function createTokenWithAudit(
  pool: Pool,
  token: TokenCreation,
  by: TokenCreator,
): Promise<{ token: string; owner: TokenOwner; info: TokenInfo }> {
  return withTransaction(pool, async (tx) => {
    const created = await new TokenRepository().create(tx, token);
    const { info } = created;
    const payload = {
      tokenId: info.id, name: info.name, role: info.role, organisation: info.organisation, ...(info.expiresAt ? { expiresAt: info.expiresAt } : {}),
      ...(info.personId ? { personId: info.personId } : {}),
    };
    await appendTokenEvent(tx, by, 'api.token.created', `token#${info.id}`, payload);
    return created;
  });
}

/**
 * Revokes a token and records `api.token.revoked` in one transaction. Null when there is no such token
 * or it was already revoked: nothing is written then.
 */
export async function revokeTokenWithAudit(
  pool: Pool,
  tokenId: number,
  by: TokenCreator,
  reason?: string,
): Promise<TokenInfo | null> {
  return withTransaction(pool, async (tx) => {
    const revoked = await new TokenRepository().revoke(tx, tokenId);
    if (!revoked) return null;
    const payload = { tokenId, name: revoked.name, role: revoked.role, organisation: revoked.organisation, ...(reason ? { reason } : {}) };
    await appendTokenEvent(tx, by, 'api.token.revoked', `token#${tokenId}#revoked`, payload);
    return revoked;
  });
}

async function appendTokenEvent(
  tx: Queryable, by: TokenCreator, action: string, cliKey: string, payload: Record<string, unknown>,
): Promise<void> {
  if (by.requestId) {
    await appendApiEvent(tx, { requestId: by.requestId, workflowId: null, action, actor: by.actor, payload });
  } else {
    await new AuditRepository().append(tx, { idempotencyKey: cliKey, workflowId: null, action, actor: by.actor, payload: { ...payload, via: 'cli' } });
  }
}
