import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { Actor, ProgressSnapshot, StepView, ApprovalView } from '../../libs/domain/progress';
import type { DecisionInput, WorkflowEventInput } from '../../libs/domain/schemas';

/** The live view a workflow answers with; the API's detail page shows the same shape. */
export type ProgressView = ProgressSnapshot & { steps: StepView[]; pendingApprovals: ApprovalView[] };

export const progressQuery = defineQuery<ProgressView>('progress');
/**
 * Who decides: the caller's person (`decidedBy`), and the member a substitute decides for (`onBehalfOf`).
 * The API resolves both from the token and the delegations; gates with members check them.
 */
export type Decider = { actor: Actor; decidedBy?: string | null; onBehalfOf?: string | null };
export const decideUpdate = defineUpdate<ProgressView, [DecisionInput & Decider]>('decide');
/** `person`: the person behind the token, for rules such as four eyes. */
export const eventUpdate = defineUpdate<ProgressView, [WorkflowEventInput & { actor: Actor; person?: string | null }]>('event');
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
  /** The decider is not a member of the body (nor a substitute of one), or the token has no person. */
  notMember: 'NotAMember',
  /** This member (or this person, as someone's substitute) has already decided. */
  alreadyDecided: 'AlreadyDecided',
  /** Four eyes: the second act must be by another person than the first. */
  sameActor: 'SamePersonTwice',
} as const;
