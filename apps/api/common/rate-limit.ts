import { type ExecutionContext, Injectable } from '@nestjs/common';
import { ThrottlerGuard, type ThrottlerModuleOptions } from '@nestjs/throttler';
import { createHash } from 'node:crypto';
import type { Request } from 'express';

/** Requests one client may make in RATE_WINDOW_MS: generous for people and scripts, a wall for floods. */
export const DEFAULT_RATE_LIMIT = 1000;
export const RATE_WINDOW_MS = 10_000;

export type RateLimitOptions = { limit?: number };

export function throttlerOptions(opts: RateLimitOptions = {}): ThrottlerModuleOptions {
  const fromEnv = Number(process.env.FUUSIO_RATE_LIMIT);
  const limit = opts.limit ?? (Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : DEFAULT_RATE_LIMIT);
  // Named 'default' so that the answer's header is plain Retry-After.
  return { throttlers: [{ name: 'default', ttl: RATE_WINDOW_MS, limit }] };
}

/**
 * Counts per client: the token when one is presented (so many people behind one address do not share a
 * budget), else the address. Runs before authentication, so guessing tokens is limited too; the token is
 * hashed so it never sits in the limiter's memory as it is.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  protected override async getTracker(req: Record<string, unknown>): Promise<string> {
    const r = req as unknown as Request;
    const header = r.headers?.authorization;
    const query = typeof r.query?.access_token === 'string' ? r.query.access_token : undefined;
    const credential = typeof header === 'string' ? header : query;
    if (credential) return `token:${createHash('sha256').update(credential).digest('hex').slice(0, 32)}`;
    return `ip:${r.ip ?? 'unknown'}`;
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    const path = context.switchToHttp().getRequest<Request>().path ?? '';
    // Probes of a supervisor or a load balancer are never refused.
    return path === '/healthz' || path === '/readyz';
  }
}
