/** The progress projection's vocabulary, shared by workflows (which produce it) and the API (which shows it). */
export type RunStatus = 'running' | 'completed' | 'rejected' | 'expired' | 'cancelled' | 'failed';
export type StageStatus = 'pending' | 'running' | 'done' | 'failed' | 'skipped';
export type ApprovalStatus = 'pending' | 'approved' | 'rejected' | 'expired' | 'withdrawn';

export type StageView = {
  key: string;
  title: string;
  status: StageStatus;
  startedAt: string | null;
  finishedAt: string | null;
  /** When the stage is due to be finished (its deadline), where it has one. */
  plannedAt?: string | null;
};

export type StepView = {
  key: string;
  stage: string;
  title: string;
  status: StageStatus;
  startedAt?: string | null;
  finishedAt?: string | null;
  dueAt?: string | null;
  detail?: Record<string, unknown>;
};

export type ApprovalView = {
  gate: string;
  party: string;
  body: string;
  status: ApprovalStatus;
  dueAt: string | null;
  decidedAt?: string | null;
  decidedBy?: string | null;
  comment?: string | null;
  reference?: string | null;
  /** Where people of a body decide together: how many approvals settle it, who may vote, and the votes so far. */
  quorum?: number | null;
  members?: string[] | null;
  votes?: Vote[];
};

/** One member's vote on an approval; `by` is the substitute who cast it for the member, if one did. */
export type Vote = {
  member: string;
  by?: string | null;
  decision: 'approve' | 'reject';
  at: string;
  reference?: string | null;
};

export type ProgressSnapshot = {
  workflowId: string;
  kind: string;
  businessKey: string;
  title: string;
  status: RunStatus;
  stage: string;
  percent: number;
  organisations: string[];
  waitingFor: string[];
  nextDeadline: string | null;
  stages: StageView[];
  startedAt: string;
  result?: Record<string, unknown> | null;
  failure?: string | null;
};

/** One tracking write: the run's whole snapshot, the steps and approvals that changed, and the audit record. */
export type TrackRequest = {
  /** Unique within the workflow; a retry with the same key writes nothing again. */
  key: string;
  action: string;
  actor: string;
  run: ProgressSnapshot;
  steps?: StepView[];
  approvals?: ApprovalView[];
  details?: Record<string, unknown>;
};

export type Actor = { name: string; role: string };

export function actorLabel(actor: Actor): string {
  return `${actor.role}:${actor.name}`;
}

/** An actor label for a decision taken by a substitute: "B for A". */
export function onBehalfLabel(actor: string, onBehalfOf: string | null | undefined): string {
  return onBehalfOf ? `${actor} for ${onBehalfOf}` : actor;
}
