import type { z } from 'zod';
import { ApiError, type ErrorDetail } from './api-error';

/** Parses a request body with a domain schema; every issue becomes a detail with its field path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = issueDetails(result.error, prefix);
  throw ApiError.badRequest(`the request body is not valid: ${detailText(details)}`, details);
}

/** A failed parse's issues as details, each with its field path under `prefix` (`payload.amountCents`). */
export function issueDetails(error: z.ZodError, prefix = ''): ErrorDetail[] {
  return error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
}

export function detailText(details: readonly ErrorDetail[]): string {
  return details.map((d) => `${d.path}: ${d.message}`).join('; ');
}
