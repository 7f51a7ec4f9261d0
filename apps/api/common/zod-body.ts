import type { z } from 'zod';
import { ApiError } from './api-error';

/** Parses a request body with a domain schema; every issue becomes a detail with its field path. */
export function parseBody<S extends z.ZodType>(schema: S, body: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(body ?? {});
  if (result.success) return result.data;
  const details = result.error.issues.map((i) => ({
    path: [prefix, ...i.path.map(String)].filter(Boolean).join('.') || '(body)',
    message: i.message,
  }));
  throw ApiError.badRequest(`the request body is not valid: ${details.map((d) => `${d.path}: ${d.message}`).join('; ')}`, details);
}
