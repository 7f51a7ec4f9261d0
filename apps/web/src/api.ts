/** The dashboard's view of the Fuusio API (see /work/shared/design/API.md). */
import type { ApprovalView, StageView, StepView } from '../../../libs/domain/progress';
import type { RunDetailAnswer, RunListItem } from '../../../libs/domain/run-views';
import type { InboxItem } from '../../../libs/domain/inbox';
import type { Health } from '../../../libs/domain/health';
import type { ConsolidationAnswer } from '../../../libs/domain/consolidation-view';

export type { ConsolidationAnswer };

export type { InboxItem };
export type InboxPage = { person: string | null; items: InboxItem[]; nextCursor: string | null };
export type DecisionBody = { gate: string; party: string; decision: 'approve' | 'reject'; comment?: string; reference?: string; onBehalfOf?: string };

export type Role = 'admin' | 'manager' | 'auditor' | 'integration';
/** `person`: the person the token belongs to; only a person has tasks ("My tasks"). */
export type Me = { name: string; role: Role; organisation: string | null; person?: string | null };

/** As the API answers: `health` is judged by the server from facts (libs/domain/health.ts). */
export type ListItem = Omit<RunListItem, 'organisations'> & { health?: Health };
export type Stage = StageView;
export type Step = StepView;
export type Approval = ApprovalView;
/** `organisations` is there for every detail; the list leaves it out. */
export type Detail = RunDetailAnswer & { health?: Health };

export type Organisation = {
  businessId: string; name: string; nameSv?: string | null; kind: string; region: string | null; population: number | null;
  areaKm2: number | null; validFrom: string; validTo: string | null; mergedInto: string | null;
};
export type Shareholder = { businessId: string; name: string; shares: number; ranges: { first: number; last: number }[] };
export type Shareholders = {
  company: string; at: string; holders: Shareholder[]; totals: { holders: number; sharesHeld: number; sharesIssued: number };
};
export type OrganisationFilter = { kind?: string; region?: string; at?: string; after?: string | null; limit?: number };
export type LaunchResult = { workflowId: string; runId: string; status: string };
export type ErrorDetail = { path: string; message: string };
export type AuditEvent = { seq: number; action: string; actor: string; occurredAt: string; payload: Record<string, unknown> };

/** GET /api/projects/{code}: the fields the dashboard's project panel reads. */
export type ProjectView = {
  workflowId: string; euraCode: string | null; name: string; startDate: string; endDate: string; plannedEndDate: string;
  budgetCents: number; approvedCents: number | null; reportingPeriodMonths: number;
  periods: { no: number; start: string; end: string; dueOn: string; escalatedOn: string | null }[];
  reports: { period: number; reportedOn: string; late: boolean }[];
  indicators: { key: string; title: string; target: number; actual: number | null }[];
  chain: ({ workflowId: string; name: string; startDate: string; endDate: string; status: string } | null)[];
};

export type ProjectListItem = { workflowId: string; euraCode: string | null; name: string; startDate: string; endDate: string; status: string };

export type Filters = { kind: string; status: string; org: string; stage: string; waitingFor: string; overdue: boolean; q: string };
export const NO_FILTERS: Filters = { kind: '', status: '', org: '', stage: '', waitingFor: '', overdue: false, q: '' };

export class ApiFailure extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly details: ErrorDetail[] = []) {
    super(message);
  }
}

const TOKEN_KEY = 'fuusio.token';
export const session = {
  get: () => sessionStorage.getItem(TOKEN_KEY),
  set: (token: string) => sessionStorage.setItem(TOKEN_KEY, token),
  clear: () => sessionStorage.removeItem(TOKEN_KEY),
};

export async function call<T>(method: string, path: string, body?: unknown, token = session.get()): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const data = (await res.json().catch(() => ({}))) as { error?: string; message?: string; details?: unknown };
  if (!res.ok) {
    const details = Array.isArray(data.details) ? (data.details as ErrorDetail[]).filter((d) => typeof d?.path === 'string') : [];
    throw new ApiFailure(res.status, data.error ?? 'http_error', data.message ?? `${res.status} ${res.statusText}`, details);
  }
  return data as T;
}

export type Counts = { total: number; byKind: Record<string, number>; byStatus: Record<string, number> };

function filterParams(f: Filters): URLSearchParams {
  const p = new URLSearchParams();
  for (const key of ['kind', 'status', 'org', 'stage', 'waitingFor', 'q'] as const) if (f[key].trim()) p.set(key, f[key].trim());
  if (f.overdue) p.set('overdue', 'true');
  return p;
}

export const api = {
  me: (token?: string) => call<Me>('GET', '/api/me', undefined, token),
  list(f: Filters, cursor?: string | null, limit = 50) {
    const p = filterParams(f);
    if (cursor) p.set('cursor', cursor);
    p.set('limit', String(limit));
    return call<{ items: ListItem[]; nextCursor: string | null }>('GET', `/api/workflows?${p}`);
  },
  /** Totals over every matching workflow, not only the loaded page. */
  counts: (f: Filters) => call<Counts>('GET', `/api/workflows/counts?${filterParams(f)}`),
  detail: (id: string) => call<Detail>('GET', `/api/workflows/${encodeURIComponent(id)}`),
  /** The consolidation view (parties, chains, transfers, carve-outs, funding); 404 for another kind. */
  consolidation: (id: string) => call<ConsolidationAnswer>('GET', `/api/workflows/${encodeURIComponent(id)}/consolidation`),
  audit: (id: string) => call<{ items: AuditEvent[] }>('GET', `/api/workflows/${encodeURIComponent(id)}/audit`),
  decide: (id: string, d: DecisionBody) => call<Detail>('POST', `/api/workflows/${encodeURIComponent(id)}/decisions`, d),
  event: (id: string, e: { type: string; payload: Record<string, unknown>; idempotencyKey: string }) =>
    call<{ status: string }>('POST', `/api/workflows/${encodeURIComponent(id)}/events`, e),
  inbox(cursor?: string | null, limit = 50) {
    const p = new URLSearchParams({ limit: String(limit) });
    if (cursor) p.set('cursor', cursor);
    return call<InboxPage>('GET', `/api/inbox?${p}`);
  },
  launch: (kind: string, body: unknown) => call<LaunchResult>('POST', `/api/workflows/${kind}`, body),
  organisations(f: OrganisationFilter) {
    const p = new URLSearchParams();
    for (const key of ['kind', 'region', 'at', 'after'] as const) {
      const v = f[key]?.trim();
      if (v) p.set(key, v);
    }
    p.set('limit', String(f.limit ?? 200));
    return call<{ items: Organisation[]; nextAfter: string | null }>('GET', `/api/organisations?${p}`);
  },
  projects: () => call<{ items: ProjectListItem[] }>('GET', '/api/projects?limit=200'),
  project: (codeOrKey: string) => call<ProjectView>('GET', `/api/projects/${encodeURIComponent(codeOrKey)}`),
  organisation: (businessId: string) => call<Organisation>('GET', `/api/organisations/${encodeURIComponent(businessId)}`),
  shareholders: (businessId: string) => call<Shareholders>('GET', `/api/companies/${encodeURIComponent(businessId)}/shareholders`),
  streamUrl: () => `/api/stream?access_token=${encodeURIComponent(session.get() ?? '')}`,
};
