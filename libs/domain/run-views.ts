import type { ApprovalView, StageView, StepView } from './progress';

/**
 * The workflow list and detail as the API answers them. Types only, so the dashboard (a separate
 * browser build) and the CLI read the same shapes the server writes.
 */
export type RunListItem = {
  workflowId: string;
  kind: string;
  title: string;
  status: string;
  stage: string;
  percent: number;
  startedAt: string;
  updatedAt: string;
  nextDeadline: string | null;
  waitingFor: string[];
  /** Business IDs of the organisations the workflow involves. */
  organisations: string[];
  /** A process recorded from before Fuusio (POST /api/historical-records), not run by it. */
  imported?: true;
};

export type RunDetail = RunListItem & {
  businessKey: string;
  runId: string | null;
  stages: StageView[];
  steps: StepView[];
  approvals: ApprovalView[];
  result: Record<string, unknown> | null;
  failure: string | null;
};

/** GET /api/workflows/{id}: the detail with the approvals still waiting for a decision. */
export type RunDetailAnswer = RunDetail & { pendingApprovals: ApprovalView[] };

export function withPendingApprovals(d: RunDetail): RunDetailAnswer {
  return { ...d, pendingApprovals: d.approvals.filter((a) => a.status === 'pending') };
}
