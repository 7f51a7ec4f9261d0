import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type * as onboardingActivities from '../../activities/registry/onboarding.activities';
import { parseDuration } from '../../libs/domain/duration';
import { actorLabel, onBehalfLabel } from '../../libs/domain/progress';
import { onboardingBusinessKey } from '../../libs/domain/business-keys';
import { checkPaymentConfirmation, checkPaymentPayload } from '../../libs/domain/event-payloads';
import type { OnboardingInput, WorkflowEventInput } from '../../libs/domain/schemas';
import { recordingUnplannedEnd } from '../kit/failure';
import { ApprovalGate, PEOPLE_DECIDE, type ApprovalPolicy } from '../kit/approval-gate';
import { calendarDays } from '../kit/calendar-days';
import { waitWithReminders, type Reminder } from '../kit/deadline';
import { REGISTRY_ACTIVITY_OPTIONS } from '../kit/activity-options';
import { Cancellation } from '../kit/cancellation';
import { REFUSAL, decideUpdate, eventUpdate, progressQuery } from '../kit/messages';
import { checkedPayload, invalidPayload } from '../kit/payloads';
import { Progress } from '../kit/progress';

type OnboardingActivities = ReturnType<typeof onboardingActivities.createOnboardingActivities>;

const acts = proxyActivities<OnboardingActivities>(REGISTRY_ACTIVITY_OPTIONS);

export const ONBOARDING_STAGES = [
  { key: 'checked', title: 'Applicant checked' },
  { key: 'board', title: 'Board decision' },
  { key: 'subscription', title: 'Subscription signed' },
  { key: 'payment', title: 'Payment received' },
  { key: 'registered', title: 'Shares registered' },
  { key: 'notified', title: 'Shareholders notified' },
];


/** The board stage sends the launch's reminders before its deadline (patch id: older histories had none). */
export const BOARD_REMINDERS = 'board-reminders';

/** Who records and who confirms payments under four eyes (the inbox addresses the confirmation to them). */
const PAYMENT_CONFIRMER_ROLE = 'finance';

export type OnboardingResult = {
  status: 'completed' | 'rejected' | 'expired' | 'cancelled';
  reason?: string;
  shares?: { first: number; last: number };
};

/** Onboards a new shareholder into a company: check, board decision, subscription, payment, register, notice. */
async function runOnboardShareholder(input: OnboardingInput): Promise<OnboardingResult> {
  const { workflowId } = workflowInfo();
  const applicant = input.applicant;
  const dueCents = input.shares * input.pricePerShareCents;
  const progress = new Progress(
    {
      kind: 'onboarding',
      businessKey: onboardingBusinessKey(input),
      title: `${applicant.name} → shareholder of ${input.company}`,
      organisations: [input.company, applicant.businessId],
    },
    ONBOARDING_STAGES,
  );

  // Launches without a board policy or four eyes never reach patched(), so their histories replay as before.
  const boardPolicy: ApprovalPolicy | undefined = input.board?.members && patched(PEOPLE_DECIDE)
    ? { quorum: input.board.quorum, members: input.board.members }
    : undefined;
  const fourEyes = input.fourEyes === true && patched(PEOPLE_DECIDE);
  // The date the applicant is checked on, the shares acquired on and the notice dated: Helsinki's (UTC before the patch).
  const days = calendarDays();
  // Closed until the board stage opens it; the validator refuses decisions before then.
  const gate = new ApprovalGate('board', [{ party: input.company, body: `Board of ${input.company}`, ...(boardPolicy ? { policy: boardPolicy } : {}) }]);
  let signed = false;
  let paidCents = 0;
  /** Under four eyes: payments recorded and not yet confirmed, by idempotency key. */
  const unconfirmed = new Map<string, { amountCents: number; recordedBy: string }>();
  let recordedCents = 0;
  let reserved = false;
  const seenEvents = new Set<string>();

  setHandler(progressQuery, () => progress.view());

  setHandler(
    decideUpdate,
    async (d) => {
      const approval = gate.decide(d, d.actor, new Date(Date.now()).toISOString());
      progress.setWaiting(gate.pendingBodies);
      const vote = boardPolicy ? { decidedBy: d.decidedBy ?? null, onBehalfOf: d.onBehalfOf ?? null, decision: d.decision } : {};
      const action = boardPolicy && approval.status === 'pending' ? 'approval.voted' : `approval.${approval.status}`;
      await progress.recordApprovals([approval], action, onBehalfLabel(actorLabel(d.actor), d.onBehalfOf), {
        gate: d.gate, party: d.party, comment: d.comment, reference: d.reference, ...vote,
      });
      return progress.view();
    },
    {
      validator: (d) => {
        refuseWhenClosed(progress);
        gate.check(d);
      },
    },
  );

  setHandler(
    eventUpdate,
    async (e) => {
      if (seenEvents.has(e.idempotencyKey)) return progress.view();
      seenEvents.add(e.idempotencyKey);
      const details: Record<string, unknown> = { type: e.type, idempotencyKey: e.idempotencyKey };
      if (e.type === 'subscription.signed') {
        signed = true;
      } else if (fourEyes) {
        return recordFourEyes(e);
      } else {
        const payment = checkedPayload(checkPaymentPayload, e.payload);
        paidCents += payment.amountCents;
        details.amountCents = payment.amountCents;
        details.paidCents = paidCents;
        details.dueCents = dueCents;
      }
      await progress.recordStep(
        { key: `event.${e.idempotencyKey}`, title: eventTitle(e, paidCents, dueCents), status: 'done', finishedAt: new Date(Date.now()).toISOString() },
        actorLabel(e.actor),
        details,
      );
      return progress.view();
    },
    { validator: (e) => validateEvent(e) },
  );

  const cancel = new Cancellation(progress, 'the shares are being registered; cancel is no longer possible');

  /** Four eyes: a recorded payment waits for another person's confirmation before it counts. */
  async function recordFourEyes(e: WorkflowEventInput & { actor: { name: string; role: string }; person?: string | null }) {
    const at = new Date(Date.now()).toISOString();
    const person = e.person ?? '';
    if (e.type === 'payment.received') {
      const payment = checkedPayload(checkPaymentPayload, e.payload);
      recordedCents += payment.amountCents;
      unconfirmed.set(e.idempotencyKey, { amountCents: payment.amountCents, recordedBy: person });
      await progress.recordStep(
        {
          key: `payment.${e.idempotencyKey}`, title: `Payment of ${payment.amountCents} cents recorded; another person must confirm it`,
          status: 'pending', startedAt: at,
          detail: { assignee: { organisation: input.company, role: PAYMENT_CONFIRMER_ROLE }, notBy: person, event: 'payment.confirmed', payment: e.idempotencyKey },
        },
        actorLabel(e.actor),
        { type: e.type, idempotencyKey: e.idempotencyKey, amountCents: payment.amountCents, recordedBy: person },
      );
      return progress.view();
    }
    const { payment: key } = checkedPayload(checkPaymentConfirmation, e.payload);
    const recorded = unconfirmed.get(key);
    if (!recorded) throw new Error('unreachable: checked by the validator');
    unconfirmed.delete(key);
    paidCents += recorded.amountCents;
    await progress.recordStep(
      { key: `payment.${key}`, title: eventTitle({ ...e, type: 'payment.received' }, paidCents, dueCents), status: 'done', finishedAt: at },
      actorLabel(e.actor),
      { type: e.type, idempotencyKey: e.idempotencyKey, payment: key, amountCents: recorded.amountCents, paidCents, dueCents, recordedBy: recorded.recordedBy, confirmedBy: person },
    );
    return progress.view();
  }

  function validateFourEyes(e: WorkflowEventInput & { person?: string | null }): void {
    if (!e.person) throw refusal(REFUSAL.notMember, `four eyes: ${e.type} must come from a person's token`);
    if (e.type !== 'payment.confirmed') return;
    const confirmation = checkPaymentConfirmation(e.payload);
    if (!confirmation.ok) throw invalidPayload('payload.payment', 'the idempotency key of the recorded payment to confirm');
    const recorded = unconfirmed.get(confirmation.value.payment);
    if (!recorded) throw invalidPayload('payload.payment', 'no recorded payment waits for confirmation under this key');
    if (recorded.recordedBy === e.person) {
      throw ApplicationFailure.create({
        type: REFUSAL.sameActor,
        message: `four eyes: ${e.person} recorded this payment and cannot also confirm it`,
        details: [{ path: 'payload.payment', message: 'must be confirmed by another person than the one who recorded it' }],
      });
    }
  }

  function validateEvent(e: WorkflowEventInput & { person?: string | null }): void {
    refuseWhenClosed(progress);
    if (seenEvents.has(e.idempotencyKey)) return;
    if (fourEyes && (e.type === 'payment.received' || e.type === 'payment.confirmed')) {
      if (progress.stage !== 'payment') throw notExpected(e.type, progress.stage);
      validateFourEyes(e);
      if (e.type === 'payment.confirmed') return;
    }
    if (e.type === 'subscription.signed') {
      if (progress.stage !== 'subscription' || signed) throw notExpected(e.type, progress.stage);
      return;
    }
    if (e.type === 'payment.received') {
      if (progress.stage !== 'payment') throw notExpected(e.type, progress.stage);
      const payment = checkedPayload(checkPaymentPayload, e.payload);
      const open = dueCents - (fourEyes ? recordedCents : paidCents);
      if (payment.amountCents > open) {
        throw ApplicationFailure.create({
          type: REFUSAL.overpayment,
          message: `payment of ${payment.amountCents} cents is more than the ${open} cents still due`,
          details: [{ path: 'payload.amountCents', message: `at most ${open} cents are due` }],
        });
      }
      return;
    }
    throw notExpected(e.type, progress.stage);
  }

  async function endCancelled(): Promise<OnboardingResult> {
    if (reserved) await acts.releaseReservation(workflowId);
    const cancellation = cancel.requested;
    const reason = cancellation?.reason ?? 'cancelled';
    await progress.finish('cancelled', {
      reason,
      actor: cancellation ? actorLabel(cancellation.actor) : undefined,
      result: { sharesReleased: reserved ? input.shares : 0 },
    });
    return done({ status: 'cancelled', reason });
  }

  async function endExpired(what: string): Promise<OnboardingResult> {
    if (reserved) await acts.releaseReservation(workflowId);
    const reason = `${what} did not arrive before the deadline`;
    await progress.finish('expired', { reason, result: { sharesReleased: reserved ? input.shares : 0 } });
    return done({ status: 'expired', reason });
  }

  async function done(result: OnboardingResult): Promise<OnboardingResult> {
    await condition(allHandlersFinished);
    return result;
  }

  const remindersFor = (stage: string, recipient: string) => async (r: Reminder) => {
    const stepKey = `${stage}.reminder.${r.key}`;
    await acts.sendReminder({
      workflowId, stepKey, recipients: [recipient],
      subject: `Reminder: ${stage} is due in ${r.key}`,
      body: `${input.company} is waiting for the ${stage} of ${applicant.name}.`,
    });
    await progress.recordStep({ key: stepKey, title: `Reminder sent ${r.key} before the deadline`, status: 'done', finishedAt: new Date(Date.now()).toISOString() });
  };

  const reminders: Reminder[] = input.deadlines.reminders.map((text) => ({ key: text, beforeMs: parseDuration(text) ?? 0 }));
  const inIso = (ms: number) => new Date(Date.now() + ms).toISOString();

  // 1. checked
  await progress.enterStage('checked');
  const check = await acts.checkApplicant(input, days.today());
  if (!check.ok) {
    await progress.finish('rejected', { reason: check.reason });
    return done({ status: 'rejected', reason: check.reason });
  }
  await progress.completeStage('checked', { company: check.companyName });

  // 2. board decision
  gate.describeParty(input.company, `Board of ${check.companyName}`);
  const boardMs = input.deadlines.boardDecision ? parseDuration(input.deadlines.boardDecision) : null;
  const boardDue = boardMs ? inIso(boardMs) : null;
  const requested = gate.openUntil(boardDue);
  await progress.enterStage('board', { waitingFor: gate.pendingBodies, deadline: boardDue, approvals: requested });
  const boardDone = () => gate.settled || cancel.requested !== undefined;
  // Reminders before the board's deadline reach the members who have not decided yet. Only launches with a
  // board deadline reach patched(), so older histories (one timer for the deadline) replay as recorded.
  const settled = boardMs
    ? patched(BOARD_REMINDERS)
      ? await waitWithReminders(boardDone, Date.parse(boardDue as string), reminders, remindersFor('board', input.company))
      : await condition(boardDone, boardMs)
    : await condition(boardDone).then(() => true);
  if (cancel.requested) return endCancelled();
  if (!settled) {
    await progress.recordApprovals(gate.expire(), 'approval.expired');
    return endExpired('the board decision');
  }
  const rejection = gate.rejected;
  if (rejection) {
    // The comment may name people, so it stays with the approval (kept beside the audit chain), not in the reason.
    const reason = `the board rejected the application${rejection.reference ? ` (${rejection.reference})` : ''}`;
    await progress.finish('rejected', { reason, actor: rejection.decidedBy ?? undefined });
    return done({ status: 'rejected', reason });
  }
  await acts.reserveShares({ workflowId, company: input.company, applicantId: applicant.businessId, shares: input.shares });
  reserved = true;
  await progress.completeStage('board', { sharesReserved: input.shares });

  // 3. subscription signed before its deadline
  const subscriptionMs = parseDuration(input.deadlines.subscription) ?? 0;
  const subscriptionDue = Date.now() + subscriptionMs;
  await progress.enterStage('subscription', { waitingFor: [`${applicant.name}: sign the subscription`], deadline: inIso(subscriptionMs) });
  const signedInTime = await waitWithReminders(
    () => signed || cancel.requested !== undefined, subscriptionDue, reminders, remindersFor('subscription', applicant.businessId),
  );
  if (cancel.requested) return endCancelled();
  if (!signedInTime) return endExpired('the signed subscription');
  await progress.completeStage('subscription');

  // 4. payment in full before its deadline
  if (dueCents > 0) {
    const paymentMs = parseDuration(input.deadlines.payment) ?? 0;
    const paymentDue = Date.now() + paymentMs;
    await progress.enterStage('payment', { waitingFor: [`${applicant.name}: pay ${dueCents} cents`], deadline: inIso(paymentMs) });
    const paidInTime = await waitWithReminders(
      () => paidCents >= dueCents || cancel.requested !== undefined, paymentDue, reminders, remindersFor('payment', applicant.businessId),
    );
    if (cancel.requested) return endCancelled();
    if (!paidInTime) return endExpired('the full payment');
    cancel.commit();
    await progress.completeStage('payment', { paidCents });
  } else {
    cancel.commit();
    await progress.enterStage('payment');
    await progress.completeStage('payment', { paidCents: 0, note: 'nothing to pay' });
  }

  // 5. registered: the point of no return
  await progress.enterStage('registered');
  const range = await acts.registerShares({
    workflowId, company: input.company, applicant, shares: input.shares, acquiredOn: days.today(),
  });
  await progress.completeStage('registered', { first: range.first, last: range.last, sharesIssued: range.sharesIssued });

  // 6. notified
  await progress.enterStage('notified');
  const notice = await acts.notifyShareholders({
    workflowId, stepKey: 'notified', company: input.company, exclude: [applicant.businessId], onDate: days.today(),
    subject: `New shareholder: ${applicant.name}`,
    body: `${applicant.name} holds shares ${range.first}–${range.last} of ${check.companyName}.`,
  });
  await progress.completeStage('notified', { recipients: notice.recipients });

  const shares = { first: range.first, last: range.last };
  await progress.finish('completed', { result: { shares, paidCents } });
  return done({ status: 'completed', shares });
}

export const onboardShareholder = recordingUnplannedEnd(runOnboardShareholder);

function refuseWhenClosed(progress: Progress): void {
  if (progress.isFinal) throw refusal(REFUSAL.closed, 'the workflow has already ended');
}

function refusal(type: string, message: string): ApplicationFailure {
  return ApplicationFailure.create({ type, message });
}

function notExpected(type: string, stage: string): ApplicationFailure {
  return refusal(REFUSAL.notExpected, `event ${type} is not expected in stage ${stage}`);
}

function eventTitle(e: WorkflowEventInput, paid: number, due: number): string {
  return e.type === 'payment.received' ? `Payment received (${paid} of ${due} cents)` : 'Subscription signed';
}
