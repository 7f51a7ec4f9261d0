import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

/** What a request id may look like when a client sends it as `x-request-id`; anything else is replaced. */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9._:@/+=-]{1,128}$/;

type RequestWithId = { id?: unknown; headers: Record<string, string | string[] | undefined> };

/**
 * The id pino-http gave this request (the client's `x-request-id` when it sent a usable one), so the
 * audit event of a call and its log lines name the same request. Generated once if the logger gave none.
 */
export function requestIdOf(req: RequestWithId): string {
  if (typeof req.id === 'string' && REQUEST_ID_PATTERN.test(req.id)) return req.id;
  const header = req.headers['x-request-id'];
  if (typeof header === 'string' && REQUEST_ID_PATTERN.test(header)) return header;
  const id = randomUUID();
  req.id = id;
  return id;
}

/** The request id, as a handler parameter: `@RequestId() requestId: string`. */
export const RequestId = createParamDecorator((_data: unknown, ctx: ExecutionContext): string =>
  requestIdOf(ctx.switchToHttp().getRequest<RequestWithId>()),
);
