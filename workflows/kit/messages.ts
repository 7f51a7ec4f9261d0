import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, ProgressSnapshot, StepView, ApprovalView } from '../../libs/domain/progress';
import type { DecisionInput, WorkflowEventInput } from '../../libs/domain/schemas';

/** The live view a workflow answers with; the API's detail page shows the same shape. */
export type ProgressView = ProgressSnapshot & { steps: StepView[]; pendingApprovals: ApprovalView[] };

export const progressQuery = defineQuery<ProgressView>('progress');
export const decideUpdate = defineUpdate<ProgressView, [DecisionInput & { actor: Actor }]>('decide');
export const eventUpdate = defineUpdate<ProgressView, [WorkflowEventInput & { actor: Actor }]>('event');
export const cancelUpdate = defineUpdate<ProgressView, [{ reason: string; actor: Actor }]>('cancel');

/**
 * Failure types that updates are refused with; the API turns each into its HTTP status.
 * Kept as plain strings so that workflow and API agree without importing each other.
 */
export const REFUSAL = {
  notInGate: 'NotInGate',
  gateClosed: 'GateClosed',
  notExpected: 'EventNotExpected',
  invalidPayload: 'InvalidEventPayload',
  overpayment: 'Overpayment',
  closed: 'WorkflowClosed',
  pointOfNoReturn: 'PastPointOfNoReturn',
} as const;
