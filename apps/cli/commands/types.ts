/** The API's answers as the CLI reads them (see /api/docs); fields the CLI does not show are left out. */
import type { CrosscheckReport } from '../../../libs/domain/audit-reports';
import type { RunListItem } from '../../../libs/db/repositories/process.repository';
import type { Health } from '../../../libs/domain/health';

/** As the list endpoint answers: the projection row without its organisations. */
export type WorkflowListItem = Omit<RunListItem, 'organisations'> & { health?: Health };

export type WorkflowPage = { items: WorkflowListItem[]; nextCursor: string | null };

export type StageView = { key: string; title: string; status: string; startedAt?: string | null; finishedAt?: string | null; plannedAt?: string | null };
export type StepView = { key: string; stage?: string; title: string; status: string; startedAt?: string | null; finishedAt?: string | null; dueAt?: string | null };
export type ApprovalView = { gate: string; party: string; body?: string; status?: string; dueAt?: string | null };

export type WorkflowDetail = WorkflowListItem & {
  businessKey?: string;
  stages?: StageView[];
  steps?: StepView[];
  pendingApprovals?: ApprovalView[];
  result?: Record<string, unknown> | null;
  failure?: string | null;
};

export type LaunchResult = { workflowId: string; runId: string; status: string };
export type EventResult = { status: string; workflowId: string | null; idempotencyKey: string };
export type ReplayResults = { results: { workflowId: string; ok: boolean; error?: string }[] };
export type AuditVerify = {
  ok: boolean; checked: number; firstBrokenSeq?: number;
  mode?: 'full' | 'incremental'; leaves?: number; checkpoints?: number; fromTreeSize?: number; verifiedTreeSize?: number;
  problems?: { kind: string; reason: string; seq?: number; chainId?: string; chainSeq?: number; treeSize?: number }[];
};

export type Organisation = {
  businessId: string;
  name: string;
  kind: string;
  region: string | null;
  validFrom: string;
  validTo: string | null;
  mergedInto: string | null;
};
export type OrganisationPage = { items: Organisation[]; nextAfter: string | null };

export type Shareholders = {
  company: string;
  at: string;
  holders: { businessId: string; name: string; shares: number; ranges: { first: number; last: number }[] }[];
  totals: { holders: number; sharesHeld: number; sharesIssued: number | null };
};

export type Crosscheck = CrosscheckReport;
