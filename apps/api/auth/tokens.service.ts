import { Inject, Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import { z } from 'zod';
import { PG_POOL } from '../../../libs/db/db.module';
import { createTokenWithAudit, revokeTokenWithAudit } from '../../../libs/db/repositories/api-audit';
import { ROLES, TokenRepository, tokenActor, type TokenInfo, type TokenOwner } from '../../../libs/db/repositories/token.repository';
import { PeopleRepository } from '../../../libs/db/repositories/people.repository';
import { personIdSchema } from '../../../libs/domain/people';
import { noPeopleHere } from '../../../libs/domain/data-classification';
import { businessIdSchema } from '../../../libs/domain/schemas';
import { resolveExpiry } from '../../../libs/domain/token-expiry';
import { ApiError } from '../common/api-error';
import { parseBody } from '../common/zod-body';
import { covers, ScopePolicy } from './scope.policy';

export const creationSchema = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(ROLES),
  organisation: businessIdSchema.nullable().optional(),
  expiresAt: z.string().optional(),
  /** The person the token belongs to (the audit trail then names them; their inbox is the token's). */
  personId: personIdSchema.optional(),
});

export const revocationSchema = z.object({ reason: z.string().trim().min(3).max(2000).describe(noPeopleHere('why the token is revoked')).optional() });

/** Who did it, for the audit trail. */
const actorOf = tokenActor;

/** Creating, listing and revoking API tokens (admin). Secrets are shown once, at creation, and never again. */
@Injectable()
export class TokensService {
  private readonly tokens = new TokenRepository();

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly scope: ScopePolicy,
  ) {}

  async create(body: unknown, user: TokenOwner, requestId: string, now = new Date()): Promise<{ token: string } & TokenInfo> {
    const input = parseBody(creationSchema, body);
    let expiresAt: Date | null = null;
    if (input.expiresAt !== undefined) {
      const expiry = resolveExpiry(input.expiresAt, now, { durations: false });
      if (!expiry.ok) throw ApiError.badRequest(`expiresAt ${expiry.reason}`, [{ path: 'expiresAt', message: expiry.reason }]);
      expiresAt = expiry.value;
    }
    const organisation = input.organisation ?? null;
    // A scoped admin hands out only tokens of its own scope: it cannot widen what it sees itself.
    if (!covers(user, organisation ? [organisation] : [])) {
      throw ApiError.forbidden(`this token may only create tokens scoped to ${user.organisation}`);
    }
    if (input.personId && !(await new PeopleRepository().find(this.pool, input.personId))) {
      throw ApiError.badRequest(`personId: there is no person ${input.personId}`, [{ path: 'personId', message: 'not in the directory of people' }]);
    }
    const created = await createTokenWithAudit(
      this.pool, { name: input.name, role: input.role, organisation, expiresAt, personId: input.personId ?? null }, { actor: actorOf(user), requestId },
    );
    return { token: created.token, ...created.info };
  }

  list(user: TokenOwner): Promise<TokenInfo[]> {
    return this.tokens.list(this.pool, { scope: user.organisation });
  }

  /** Revokes a token (404 when unknown or out of scope, 409 when already revoked); its next request gets 401. */
  async revoke(tokenId: number, body: unknown, user: TokenOwner, requestId: string): Promise<TokenInfo> {
    const { reason } = parseBody(revocationSchema, body);
    const token = await this.scope.token(user, tokenId);
    const revoked = await revokeTokenWithAudit(this.pool, token.id, { actor: actorOf(user), requestId }, reason);
    if (!revoked) throw ApiError.conflict('token_revoked', `token ${token.id} has already been revoked`);
    return revoked;
  }
}
