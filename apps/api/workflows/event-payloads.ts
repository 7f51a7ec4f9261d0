import type { WorkflowEventInput } from '../../../libs/domain/schemas';
import { LAUNCH_KINDS, isLaunchKind } from '../../../libs/domain/launch-kinds';
import { ApiError } from '../common/api-error';
import { detailText, issueDetails } from '../common/zod-body';

/**
 * Checks an event's payload against its kind's schema for that event type (LaunchSpec.events) where it
 * enters: 422 `invalid_event_payload` naming every wrong field (`payload.amountCents`), before anything is
 * written or sent. An event type the kind does not list passes: the workflow answers whether it expects it.
 */
export function checkEventPayload(kind: string, event: WorkflowEventInput): void {
  const schema = isLaunchKind(kind) ? LAUNCH_KINDS[kind].events?.[event.type] : undefined;
  if (!schema) return;
  const result = schema.safeParse(event.payload);
  if (result.success) return;
  const details = issueDetails(result.error, 'payload');
  throw ApiError.unprocessable('invalid_event_payload', `the ${event.type} payload is not valid: ${detailText(details)}`, details);
}
