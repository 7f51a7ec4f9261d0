import { WorkflowNotFoundError } from '@temporalio/common';

const GRPC_INVALID_ARGUMENT = 3;
const GRPC_NOT_FOUND = 5;

/** Temporal's answer for a run it does not have (never had, or deleted after the namespace retention). */
export function isNotFound(err: unknown): boolean {
  return err instanceof WorkflowNotFoundError || grpcCode(err) === GRPC_NOT_FOUND;
}

/** Not found, or an id Temporal refuses to look up at all (too long, not UTF-8): either way no such run. */
export function isNoSuchRun(err: unknown): boolean {
  return isNotFound(err) || grpcCode(err) === GRPC_INVALID_ARGUMENT;
}

function grpcCode(err: unknown): unknown {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as { code?: unknown; cause?: { code?: unknown } };
  return e.code ?? e.cause?.code;
}
