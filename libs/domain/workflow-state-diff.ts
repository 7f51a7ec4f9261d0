/**
 * A workflow's state between two moments as a diff (libs/domain/state-diff.ts), with each change put
 * down to the audit event that made it and, where that event recorded one, the decision. Pure.
 */
import type { ApprovalView, ProgressSnapshot, StageView, StepView } from './progress';
import { foldTracked, type TrackedPayload } from './projection';
import { diffStates, keyed, type DiffableState, type Entity, type JsonValue, type StateChange } from './state-diff';

/** The state the API answers for a moment (GET /api/workflows/{id}/state), in the parts the diff looks at. */
export type WorkflowStateView = Partial<ProgressSnapshot> & {
  steps: StepView[];
  approvals: ApprovalView[];
  registry: { companyId: string; holderId: string; firstNo: number; lastNo: number; acquiredOn: string; disposedOn: string | null; inForce: boolean }[];
  transfers?: { partyId: string; kind: string; transferred: number; kept: number }[];
  changesInEffect?: unknown[];
};

export type CauseEvent = { seq: number; action: string; actor: string; occurredAt: string; payload: TrackedPayload };
export type DecisionView = Pick<ApprovalView, 'gate' | 'party' | 'body' | 'status' | 'decidedAt' | 'decidedBy' | 'reference'>;
export type WorkflowChange = StateChange & {
  cause: { seq: number; action: string; actor: string; occurredAt: string } | null;
  decision: DecisionView | null;
};

const RUN_FIELDS = ['title', 'status', 'stage', 'percent', 'organisations', 'waitingFor', 'nextDeadline', 'result', 'failure'] as const;
/** The sections the audit trail itself rebuilds; the rest (register rows, transfers) come from the registry. */
const TRAIL_SECTIONS = new Set(['run', 'stages', 'steps', 'approvals']);

const json = (v: unknown): Entity => JSON.parse(JSON.stringify(v ?? {})) as Entity;

function trailSections(run: Partial<ProgressSnapshot> | null, steps: StepView[], approvals: ApprovalView[]): DiffableState {
  if (!run) return {};
  const head: Entity = {};
  for (const f of RUN_FIELDS) if (run[f] !== undefined) head[f] = json({ v: run[f] }).v as JsonValue;
  return {
    run: { run: head },
    stages: keyed((run.stages ?? []).map((s: StageView) => json(s)), (s) => String(s.key)),
    steps: keyed(steps.map(json), (s) => String(s.key)),
    approvals: keyed(approvals.map(json), (a) => `${String(a.gate)}/${String(a.party)}`),
  };
}

/** The state of a moment as sections to diff (empty when the workflow had not started then). */
export function workflowSections(state: WorkflowStateView | null): DiffableState {
  if (!state) return {};
  return {
    ...trailSections(state, state.steps, state.approvals),
    registry: keyed(state.registry.map(json), (r) => `${String(r.companyId)}#${String(r.firstNo)}-${String(r.lastNo)}@${String(r.acquiredOn)}`),
    ...(state.transfers ? { transfers: keyed(state.transfers.map(json), (t) => `${String(t.partyId)}/${String(t.kind)}`) } : {}),
    ...(state.changesInEffect ? { changesInEffect: keyed(state.changesInEffect.map((c, i) => ({ ...json(c), n: i + 1 })), (c) => String(c.n)) } : {}),
  };
}

function decisionOf(a: ApprovalView | Entity | undefined): DecisionView | null {
  if (!a || (a.status !== 'approved' && a.status !== 'rejected')) return null;
  const { gate, party, body, status, decidedAt, decidedBy, reference } = a as ApprovalView;
  return { gate, party, body, status, decidedAt: decidedAt ?? null, decidedBy: decidedBy ?? null, reference: reference ?? null };
}

/**
 * The changes from `from` to `to`, each with the event that made it: `before` are the events up to the
 * earlier moment, `between` the ones after it up to the later (oldest first). A trail change is put down
 * to the last event in between that changed that entity; a registry change to the event of the same
 * moment when it is the workflow's effective write (`historical.effective`), else to none.
 */
export function workflowChanges(
  from: WorkflowStateView | null,
  to: WorkflowStateView,
  before: readonly CauseEvent[],
  between: readonly CauseEvent[],
): WorkflowChange[] {
  const changes = diffStates(workflowSections(from), workflowSections(to));
  const causes = new Map<string, CauseEvent>();
  const seen = [...before];
  let previous = trailOf(seen);
  for (const e of between) {
    seen.push(e);
    const next = trailOf(seen);
    for (const c of diffStates(previous, next)) causes.set(`${c.section}\u0000${c.key}`, e);
    previous = next;
  }
  const effective = [...between].reverse().find((e) => e.action === 'historical.effective');
  return changes.map((c) => {
    const event = TRAIL_SECTIONS.has(c.section) ? causes.get(`${c.section}\u0000${c.key}`) : c.section === 'changesInEffect' ? effective : undefined;
    const decided = c.section === 'approvals' && c.op !== 'removed'
      ? decisionOf(to.approvals.find((a) => `${a.gate}/${a.party}` === c.key))
      : (event?.payload.approvals ?? []).map(decisionOf).find((d) => d !== null) ?? null;
    return {
      ...c,
      cause: event ? { seq: event.seq, action: event.action, actor: event.actor, occurredAt: event.occurredAt } : null,
      decision: decided ?? null,
    };
  });
}

function trailOf(events: readonly CauseEvent[]): DiffableState {
  const folded = foldTracked(events.map((e) => e.payload));
  return trailSections(folded.run, folded.steps, folded.approvals);
}
