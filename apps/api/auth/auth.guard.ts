import { type CanActivate, type ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Pool } from 'pg';
import { PG_POOL } from '../../../libs/db/db.module';
import { type Role, TokenRepository } from '../../../libs/db/repositories/token.repository';
import { ApiError } from '../common/api-error';
import { PUBLIC_KEY, ROLES_KEY, type RequestWithUser } from './auth.decorators';

/** Bearer tokens for every route that is not marked public; 401 without one, 403 for the wrong role. */
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
    const header = req.headers.authorization;
    const bearer = typeof header === 'string' && header.startsWith('Bearer ') ? header.slice(7).trim() : undefined;
    // EventSource cannot send headers, so the live stream also takes the token as a query parameter.
    const token = bearer ?? (typeof req.query?.access_token === 'string' ? req.query.access_token : undefined);
    if (!token) throw new ApiError(401, 'unauthenticated', 'send a token as "Authorization: Bearer <token>"');
    const user = await this.tokens.findByToken(this.pool, token);
    if (!user) throw new ApiError(401, 'unauthenticated', 'the token is not valid or has been revoked');
    req.user = user;
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(user.role)) {
      throw ApiError.forbidden(`role ${user.role} may not do this (allowed: ${roles.join(', ')})`);
    }
    return true;
  }
}
