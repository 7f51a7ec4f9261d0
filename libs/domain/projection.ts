import type { ApprovalView, ProgressSnapshot, StepView } from './progress';

/** What one tracking write put into the audit trail (the payload of its audit event). */
export type TrackedPayload = {
  run?: ProgressSnapshot;
  steps?: StepView[];
  approvals?: ApprovalView[];
};

export type ProjectionState = {
  run: ProgressSnapshot | null;
  steps: StepView[];
  approvals: ApprovalView[];
};

/**
 * Folds a workflow's audit payloads, oldest first, into the projection they produced: the last run
 * snapshot, and each step and approval as last written (a step keeps the first start time it was given,
 * as the projection's upsert does).
 */
export function foldTracked(payloads: readonly TrackedPayload[]): ProjectionState {
  let run: ProgressSnapshot | null = null;
  const steps = new Map<string, StepView>();
  const approvals = new Map<string, ApprovalView>();
  for (const p of payloads) {
    if (p.run) run = p.run;
    for (const s of p.steps ?? []) {
      const before = steps.get(s.key);
      steps.set(s.key, { ...s, startedAt: before?.startedAt ?? s.startedAt ?? null });
    }
    for (const a of p.approvals ?? []) approvals.set(`${a.gate}/${a.party}`, a);
  }
  return { run, steps: [...steps.values()], approvals: [...approvals.values()] };
}
