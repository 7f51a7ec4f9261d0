/**
 * The onboarding's shape without the kit: the six stages, the run snapshot and the tracking requests a
 * plain program sends. Pure code (no Node APIs), so the bare Temporal workflow, the raw-SQL arm and the
 * DBOS arm share it; each request goes to the same TrackingRepository SQL the Fuusio tracking activity runs.
 * The stages and the business key are written out here rather than imported from the onboarding workflow
 * and libs/domain/schemas: importing them would pull the kit and zod into the bare arm's bundle, which W7
 * measures against Fuusio's.
 */
import type { ApprovalView, ProgressSnapshot, RunStatus, StepView, TrackRequest } from '../libs/domain/progress';
import type { OnboardingInput } from '../libs/domain/schemas';

export const SHAPE_STAGES = [
  { key: 'checked', title: 'Applicant checked' },
  { key: 'board', title: 'Board decision' },
  { key: 'subscription', title: 'Subscription signed' },
  { key: 'payment', title: 'Payment received' },
  { key: 'registered', title: 'Shares registered' },
  { key: 'notified', title: 'Shareholders notified' },
] as const;

/**
 * Business steps of one completed onboarding, the same in every arm: 16 tracked state changes
 * (6 stages entered and completed, the board decision, two events, the final state) and 4 registry
 * actions (check, reserve, register, notify). Commits per business step divide by this.
 */
export const BUSINESS_STEPS_PER_ONBOARDING = 20;
export const TRACKED_CHANGES_PER_ONBOARDING = 16;

export type PlainRun = { snapshot: ProgressSnapshot; writes: number };

export function newRun(workflowId: string, input: OnboardingInput, nowIso: string): PlainRun {
  return {
    writes: 0,
    snapshot: {
      workflowId,
      kind: 'onboarding',
      businessKey: `onboarding:${input.company}:${input.applicant.businessId}`,
      title: `${input.applicant.name} → shareholder of ${input.company}`,
      status: 'running',
      stage: 'checked',
      percent: 0,
      organisations: [input.company, input.applicant.businessId],
      waitingFor: [],
      nextDeadline: null,
      stages: SHAPE_STAGES.map((s) => ({ ...s, status: 'pending', startedAt: null, finishedAt: null })),
      startedAt: nowIso,
      result: null,
      failure: null,
    },
  };
}

export type Change = {
  enter?: string;
  complete?: string;
  status?: RunStatus;
  waitingFor?: string[];
  result?: Record<string, unknown>;
  steps?: StepView[];
  approvals?: ApprovalView[];
  details?: Record<string, unknown>;
};

/** Applies a change to the run and returns the tracking request for it (the next key in sequence). */
export function change(run: PlainRun, action: string, c: Change, nowIso: string, actor = 'system:bench'): TrackRequest {
  const s = run.snapshot;
  for (const stage of s.stages) {
    if (stage.key === c.enter) {
      stage.status = 'running';
      stage.startedAt = nowIso;
      s.stage = stage.key;
    }
    if (stage.key === c.complete) {
      stage.status = 'done';
      stage.finishedAt = nowIso;
    }
  }
  if (c.status) s.status = c.status;
  if (c.result) s.result = c.result;
  s.waitingFor = c.waitingFor ?? [];
  const done = s.stages.filter((x) => x.status === 'done').length;
  s.percent = s.status === 'completed' ? 100 : Math.floor((done * 100) / s.stages.length);
  run.writes += 1;
  return {
    key: `${run.writes}:${action}`,
    action,
    actor,
    run: { ...s, stages: s.stages.map((x) => ({ ...x })) },
    ...(c.steps ? { steps: c.steps } : {}),
    ...(c.approvals ? { approvals: c.approvals } : {}),
    ...(c.details ? { details: c.details } : {}),
  };
}

export type Decision = { party: string; decision: 'approve' | 'reject'; actor: string; reference?: string };
export type Payment = { idempotencyKey: string; amountCents: number; actor: string };
export type Signature = { idempotencyKey: string; actor: string };

export function boardApproval(input: OnboardingInput, status: ApprovalView['status'], d?: Decision, nowIso?: string): ApprovalView {
  return {
    gate: 'board', party: input.company, body: `Board of ${input.company}`, status, dueAt: null,
    ...(d ? { decidedAt: nowIso ?? null, decidedBy: d.actor, reference: d.reference ?? null } : {}),
  };
}

export function eventStep(key: string, title: string, nowIso: string): StepView {
  return { key: `event.${key}`, title, status: 'done', stage: '', finishedAt: nowIso };
}

type CheckResult = { ok: true; companyName: string } | { ok: false; reason: string };

/** What the raw-SQL and DBOS arms need to run the sequence; the bare Temporal workflow writes it out by hand. */
export type ShapeIo = {
  now(): string;
  track(req: TrackRequest): Promise<unknown>;
  checkApplicant(input: OnboardingInput, onDate: string): Promise<CheckResult>;
  reserveShares(r: { workflowId: string; company: string; applicantId: string; shares: number }): Promise<void>;
  registerShares(r: { workflowId: string; company: string; applicant: OnboardingInput['applicant']; shares: number; acquiredOn: string }):
    Promise<{ first: number; last: number; sharesIssued: number }>;
  notifyShareholders(n: { workflowId: string; stepKey: string; company: string; exclude: string[]; onDate: string; subject: string; body: string }):
    Promise<{ recipients: number }>;
  decision(): Promise<Decision>;
  signature(): Promise<Signature>;
  payment(): Promise<Payment>;
};

/** The happy path of the onboarding, step for step as the Fuusio workflow runs it. */
export async function runShape(workflowId: string, input: OnboardingInput, io: ShapeIo): Promise<{ status: string; shares?: { first: number; last: number } }> {
  const run = newRun(workflowId, input, io.now());
  const day = () => io.now().slice(0, 10);
  const dueCents = input.shares * input.pricePerShareCents;
  await io.track(change(run, 'stage.checked.started', { enter: 'checked' }, io.now()));
  const check = await io.checkApplicant(input, day());
  if (!check.ok) {
    await io.track(change(run, 'workflow.rejected', { status: 'rejected', details: { reason: check.reason } }, io.now()));
    return { status: 'rejected' };
  }
  await io.track(change(run, 'stage.checked.completed', { complete: 'checked', details: { company: check.companyName } }, io.now()));
  await io.track(change(run, 'stage.board.started', {
    enter: 'board', waitingFor: [`Board of ${input.company}`], approvals: [boardApproval(input, 'pending')],
  }, io.now()));
  const d = await io.decision();
  await io.track(change(run, 'approval.approved', {
    waitingFor: [], approvals: [boardApproval(input, 'approved', d, io.now())], details: { gate: 'board', party: d.party },
  }, io.now(), d.actor));
  await io.reserveShares({ workflowId, company: input.company, applicantId: input.applicant.businessId, shares: input.shares });
  await io.track(change(run, 'stage.board.completed', { complete: 'board', details: { sharesReserved: input.shares } }, io.now()));
  await io.track(change(run, 'stage.subscription.started', { enter: 'subscription', waitingFor: [`${input.applicant.name}: sign`] }, io.now()));
  const sig = await io.signature();
  await io.track(change(run, `step.event.${sig.idempotencyKey}.done`, {
    waitingFor: run.snapshot.waitingFor, steps: [{ ...eventStep(sig.idempotencyKey, 'Subscription signed', io.now()), stage: 'subscription' }],
  }, io.now(), sig.actor));
  await io.track(change(run, 'stage.subscription.completed', { complete: 'subscription' }, io.now()));
  await io.track(change(run, 'stage.payment.started', { enter: 'payment', waitingFor: [`${input.applicant.name}: pay ${dueCents} cents`] }, io.now()));
  const pay = await io.payment();
  await io.track(change(run, `step.event.${pay.idempotencyKey}.done`, {
    waitingFor: run.snapshot.waitingFor, steps: [{ ...eventStep(pay.idempotencyKey, 'Payment received', io.now()), stage: 'payment' }],
    details: { amountCents: pay.amountCents, dueCents },
  }, io.now(), pay.actor));
  await io.track(change(run, 'stage.payment.completed', { complete: 'payment', details: { paidCents: pay.amountCents } }, io.now()));
  await io.track(change(run, 'stage.registered.started', { enter: 'registered' }, io.now()));
  const range = await io.registerShares({ workflowId, company: input.company, applicant: input.applicant, shares: input.shares, acquiredOn: day() });
  await io.track(change(run, 'stage.registered.completed', { complete: 'registered', details: { first: range.first, last: range.last } }, io.now()));
  await io.track(change(run, 'stage.notified.started', { enter: 'notified' }, io.now()));
  const notice = await io.notifyShareholders({
    workflowId, stepKey: 'notified', company: input.company, exclude: [input.applicant.businessId], onDate: day(),
    subject: `New shareholder: ${input.applicant.name}`, body: `${input.applicant.name} holds shares ${range.first}–${range.last}.`,
  });
  await io.track(change(run, 'stage.notified.completed', { complete: 'notified', details: { recipients: notice.recipients } }, io.now()));
  const shares = { first: range.first, last: range.last };
  await io.track(change(run, 'workflow.completed', { status: 'completed', result: { shares, paidCents: pay.amountCents } }, io.now()));
  return { status: 'completed', shares };
}
