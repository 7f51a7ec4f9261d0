import { createParamDecorator, type ExecutionContext, SetMetadata } from '@nestjs/common';
import type { Role, TokenOwner } from '../../../libs/db/repositories/token.repository';

export const ROLES_KEY = 'fuusio:roles';
export const PUBLIC_KEY = 'fuusio:public';

/** The roles allowed to call a handler; without it every signed-in role may. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES_KEY, roles);
export const Public = () => SetMetadata(PUBLIC_KEY, true);
export const QUERY_TOKEN_KEY = 'fuusio:query-token';
/**
 * The route also takes the token as `?access_token=`: only for EventSource (GET /api/stream), which cannot
 * send headers. A token in a URL ends up in proxies' and browsers' histories, so nothing else accepts one.
 */
export const AllowQueryToken = () => SetMetadata(QUERY_TOKEN_KEY, true);

export type RequestWithUser = { user?: TokenOwner; headers: Record<string, string | string[] | undefined>; id?: unknown };

export const CurrentUser = createParamDecorator((_data: unknown, ctx: ExecutionContext): TokenOwner => {
  const user = ctx.switchToHttp().getRequest<RequestWithUser>().user;
  if (!user) throw new Error('CurrentUser used on a public route');
  return user;
});
