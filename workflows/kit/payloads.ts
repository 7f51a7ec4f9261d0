import { ApplicationFailure } from '@temporalio/workflow';
import type { PayloadCheck } from '../../libs/domain/event-payloads';
import { REFUSAL } from './messages';

/** An event refused for its payload, naming the field (`payload.amountCents`) and why. */
export function invalidPayload(path: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL.invalidPayload, message: `${path}: ${message}`, details: [{ path, message }] });
}

/** The payload as its guard shapes it (libs/domain/event-payloads.ts), or the refusal naming the first wrong field. */
export function checkedPayload<T>(check: (payload: unknown) => PayloadCheck<T>, payload: unknown): T {
  const r = check(payload);
  if (r.ok) return r.value;
  throw invalidPayload(r.path ? `payload.${r.path}` : 'payload', r.message);
}
