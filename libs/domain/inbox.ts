import type { Vote } from './progress';

/**
 * What waits for a person. An inbox item is one of: a decision of a body the person sits on (or
 * substitutes in), an event the person's organisation is expected to send in a stage, or a task
 * (a pending step addressed to a role, e.g. confirming a payment under four eyes).
 */
export type InboxItemType = 'decision' | 'event' | 'task';

export type InboxItem = {
  /** Unique within the inbox of one person: the item's key in its workflow. */
  key: string;
  type: InboxItemType;
  workflowId: string;
  kind: string;
  title: string;
  stage: string;
  /** What is asked, in words. */
  what: string;
  /** The organisation the person acts for here. */
  organisation: string;
  gate: string | null;
  party: string | null;
  body: string | null;
  /** The event type to send (events and tasks). */
  event: string | null;
  /** A substitute's item: the member or role holder the person acts for. */
  onBehalfOf: string | null;
  dueAt: string | null;
  overdue: boolean;
  /** Decisions by named members: the quorum, the members and the votes so far. */
  quorum?: number;
  members?: string[];
  votes?: Vote[];
};

/**
 * Events that a process expects from an organisation in a stage, and which role there sends them.
 * `organisation` indexes the run's organisations (as launch-kinds.ts lists them: onboarding
 * [company, applicant]; project [funder, lead, ...partners]).
 */
export type ExpectedEvent = { kind: string; stage: string; event: string; organisation: number; role: string; what: string };

export const EXPECTED_EVENTS: readonly ExpectedEvent[] = [
  { kind: 'onboarding', stage: 'subscription', event: 'subscription.signed', organisation: 1, role: 'signatory', what: 'Sign the share subscription' },
  { kind: 'onboarding', stage: 'payment', event: 'payment.received', organisation: 0, role: 'finance', what: 'Record the subscription payment when it arrives' },
  { kind: 'project', stage: 'implementation', event: 'report.submitted', organisation: 1, role: 'project-contact', what: 'Submit the period report' },
  { kind: 'project', stage: 'application', event: 'application.submitted', organisation: 1, role: 'project-contact', what: 'Submit the funding application' },
];

/** Gates whose rows are not named after the deciding body: a funder's consent is decided in its body "funding". */
export type GateBody = { prefix: string; body: string };
export const GATE_BODIES: readonly GateBody[] = [{ prefix: 'consent/', body: 'funding' }];
