import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { type Role, TokenRepository } from '../../../libs/db/repositories/token.repository';
import { ApiError } from '../common/api-error';
import { PUBLIC_KEY, QUERY_TOKEN_KEY, ROLES_KEY, type RequestWithUser } from './auth.decorators';

/** `Authorization: Bearer <token>`; the scheme is case-insensitive (RFC 9110 §11.1). */
const BEARER = /^bearer[ \t]+(\S+)[ \t]*$/i;

/** The token of `Authorization: Bearer <token>`, or undefined when the header carries none. */
export function bearerToken(header: string | string[] | undefined): string | undefined {
  return typeof header === 'string' ? BEARER.exec(header)?.[1] : undefined;
}

/**
 * Bearer tokens for every route that is not marked public: 401 without a token that is valid (not revoked,
 * not expired), 403 for the wrong role. A token in the query string counts only where the route allows it.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  private readonly tokens = new TokenRepository();

  constructor(
    private readonly reflector: Reflector,
    @Inject(PG_POOL) private readonly pool: Pool,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const targets = [ctx.getHandler(), ctx.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const req = ctx.switchToHttp().getRequest<RequestWithUser & { query?: Record<string, unknown> }>();
    const inQuery = typeof req.query?.access_token === 'string' ? req.query.access_token : undefined;
    const queryAllowed = this.reflector.getAllAndOverride<boolean>(QUERY_TOKEN_KEY, targets) === true;
    const token = bearerToken(req.headers.authorization) ?? (queryAllowed ? inQuery : undefined);
    if (!token) {
      throw new ApiError(401, 'unauthenticated', inQuery && !queryAllowed
        ? 'a token in the query string is accepted only by GET /api/stream: send it as "Authorization: Bearer <token>"'
        : 'send a token as "Authorization: Bearer <token>"');
    }
    const user = await this.tokens.findByToken(this.pool, token);
    if (!user) throw new ApiError(401, 'unauthenticated', 'the token is not valid, has expired or has been revoked');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw ApiError.forbidden(`role ${user.role} may not do this (allowed: ${roles.join(', ')})`);
    }
    return true;
  }
}
