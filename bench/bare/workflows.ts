/**
 * The bare Temporal arm: the onboarding's shape as a plain workflow, bundled on its own (not through
 * workflows/index.ts). Same activities and SQL as Fuusio's, same three updates with validators that
 * refuse out-of-order messages; no Progress kit, no search-attribute upserts, no logging.
 */
import { ApplicationFailure, condition, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { OnboardingInput } from '../../libs/domain/schemas';
import { runShape, type Decision, type Payment, type Signature } from '../shape';
import type { BareActivities } from './activities';

const acts = proxyActivities<BareActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

export const bareDecide = defineUpdate<void, [Decision]>('decide');
export const bareSign = defineUpdate<void, [Signature]>('sign');
export const barePay = defineUpdate<void, [Payment]>('pay');

export async function bareOnboarding(input: OnboardingInput): Promise<{ status: string; shares?: { first: number; last: number } }> {
  let stage = 'checked';
  let decision: Decision | undefined;
  let signature: Signature | undefined;
  let payment: Payment | undefined;
  const refuseUnless = (wanted: string, already: unknown) => {
    if (stage !== wanted || already !== undefined) throw ApplicationFailure.create({ type: 'NotExpected', message: `not expected in stage ${stage}` });
  };
  setHandler(bareDecide, (d) => { decision = d; }, { validator: (_d: Decision) => refuseUnless('board', decision) });
  setHandler(bareSign, (s) => { signature = s; }, { validator: (_s: Signature) => refuseUnless('subscription', signature) });
  setHandler(barePay, (p) => { payment = p; }, { validator: (_p: Payment) => refuseUnless('payment', payment) });

  // Like Fuusio's waitWithReminders without reminders: one timer to the stage's deadline.
  const arrived = async <T>(get: () => T | undefined, deadlineMs?: number): Promise<T> => {
    const inTime = deadlineMs === undefined ? await condition(() => get() !== undefined).then(() => true) : await condition(() => get() !== undefined, deadlineMs);
    if (!inTime) throw ApplicationFailure.nonRetryable('deadline passed', 'Expired');
    return get() as T;
  };
  const days = (text: string) => Number(/^(\d+) days?$/.exec(text)?.[1] ?? 30) * 86_400_000;
  return runShape(workflowInfo().workflowId, input, {
    now: () => new Date(Date.now()).toISOString(),
    track: (req) => {
      stage = req.run.stage;
      return acts.track(req);
    },
    checkApplicant: acts.checkApplicant,
    reserveShares: acts.reserveShares,
    registerShares: acts.registerShares,
    notifyShareholders: acts.notifyShareholders,
    decision: () => arrived(() => decision),
    signature: () => arrived(() => signature, days(input.deadlines.subscription)),
    payment: () => arrived(() => payment, days(input.deadlines.payment)),
  });
}
