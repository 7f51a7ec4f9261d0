import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { WorkflowExecutionAlreadyStartedError, WorkflowUpdateFailedError } from '@temporalio/client';
import { ApplicationFailure, WorkflowNotFoundError } from '@temporalio/common';
import type { Response } from 'express';
import { CHAIN_REFUSAL } from '../../../workflows/kit/decision-chain';
import { REFUSAL } from '../../../workflows/kit/messages';
import { ApiError, type ErrorDetail } from './api-error';

const REFUSAL_STATUS: Record<string, { status: number; code: string }> = {
  [REFUSAL.notInGate]: { status: 422, code: 'not_in_gate' },
  [REFUSAL.gateClosed]: { status: 409, code: 'gate_closed' },
  [REFUSAL.notExpected]: { status: 422, code: 'event_not_expected' },
  [REFUSAL.invalidPayload]: { status: 422, code: 'invalid_event_payload' },
  [REFUSAL.overpayment]: { status: 422, code: 'overpayment' },
  [REFUSAL.closed]: { status: 409, code: 'workflow_closed' },
  [REFUSAL.pointOfNoReturn]: { status: 409, code: 'past_point_of_no_return' },
  [REFUSAL.notMember]: { status: 422, code: 'not_a_member' },
  [REFUSAL.alreadyDecided]: { status: 422, code: 'already_decided' },
  [REFUSAL.sameActor]: { status: 422, code: 'four_eyes' },
  [CHAIN_REFUSAL.outOfOrder]: { status: 422, code: 'decision_out_of_order' },
};

type BodyParserError = Error & { type?: string; status?: number; limit?: number; expose?: boolean };

/** Turns every error into `{ error, message, details }` with the right status; nothing leaks a stack. */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly log = new Logger('ErrorFilter');

  catch(err: unknown, host: ArgumentsHost): void {
    const res = host.switchToHttp().getResponse<Response>();
    const e = toApiError(err);
    if (e.status >= 500) this.log.error(err instanceof Error ? err.stack ?? err.message : String(err));
    res.status(e.status).json({ error: e.code, message: e.message, details: e.details });
  }
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof ApiError) return err;
  if (err instanceof WorkflowExecutionAlreadyStartedError) {
    return ApiError.conflict('duplicate_business_key', `a workflow with id ${err.workflowId} already exists`, [
      { path: 'workflowId', message: 'already launched' },
    ]);
  }
  if (err instanceof WorkflowNotFoundError) return ApiError.notFound(`workflow ${err.workflowId}`);
  if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure) {
    const mapped = err.cause.type ? REFUSAL_STATUS[err.cause.type] : undefined;
    const details = (err.cause.details ?? []).filter(isErrorDetail);
    if (mapped) return new ApiError(mapped.status, mapped.code, err.cause.message, details);
    return ApiError.unprocessable('refused', err.cause.message);
  }
  const bodyError = err as BodyParserError;
  if (bodyError?.type === 'entity.too.large') {
    return new ApiError(413, 'body_too_large', `the request body is larger than the ${bodyError.limit ?? ''} bytes allowed`.replace('  ', ' '));
  }
  if (bodyError?.type === 'entity.parse.failed') {
    return ApiError.badRequest('the request body is not valid JSON', [{ path: '(body)', message: bodyError.message }]);
  }
  if (bodyError?.type === 'charset.unsupported' || bodyError?.type === 'encoding.unsupported') {
    return new ApiError(415, 'unsupported_media_type', bodyError.message, [{ path: '(header)', message: bodyError.message }]);
  }
  // Any other client error of body-parser (a corrupt or truncated gzip stream, an aborted upload).
  if (bodyError?.expose === true && typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500) {
    return ApiError.badRequest('the request body could not be read', [{ path: '(body)', message: bodyError.message }]);
  }
  if (err instanceof HttpException) {
    const status = err.getStatus();
    if (status === 429) return new ApiError(429, 'rate_limited', 'too many requests from this client; wait for the seconds in Retry-After');
    return new ApiError(status, status === 404 ? 'not_found' : 'http_error', err.message);
  }
  return new ApiError(500, 'internal_error', 'something went wrong on our side; the request id is in the logs');
}

function isErrorDetail(v: unknown): v is ErrorDetail {
  return typeof v === 'object' && v !== null && typeof (v as ErrorDetail).path === 'string' && typeof (v as ErrorDetail).message === 'string';
}
