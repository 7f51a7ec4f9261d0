/**
 * The peer arm: the onboarding's shape as a DBOS Transact workflow. Every activity becomes a DBOS step
 * (checkpointed in DBOS's system database) doing the same SQL on the arm's application database; the
 * three updates become DBOS messages (send/recv). DBOS keeps its state in PostgreSQL, so this arm has
 * no Temporal server: the difference to W2/W3 is the durable-execution engine itself.
 */
import { DBOS } from '@dbos-inc/dbos-sdk';
import type { Pool } from 'pg';
import { createOnboardingActivities } from '../../activities/registry/onboarding.activities';
import type { OnboardingInput } from '../../libs/domain/schemas';
import { createTrack } from '../bare/activities';
import { runShape, type Decision, type Payment, type Signature } from '../shape';

export const DBOS_TOPICS = { decide: 'decide', sign: 'sign', pay: 'pay' } as const;
const WAIT_SECONDS = 600;

export type DbosOnboarding = (input: OnboardingInput) => Promise<{ status: string; shares?: { first: number; last: number } }>;

/** Registers the workflow; call before DBOS.launch(). */
export function registerDbosOnboarding(pool: Pool): DbosOnboarding {
  const acts = createOnboardingActivities({ pool });
  const track = createTrack(pool, () => null);
  const received = async <T>(topic: string): Promise<T> => {
    const message = await DBOS.recv<T>(topic, { timeoutSeconds: WAIT_SECONDS });
    if (message === null) throw new Error(`no ${topic} message within ${WAIT_SECONDS} s`);
    return message;
  };
  return DBOS.registerWorkflow(
    async (input: OnboardingInput) => {
      const workflowId = DBOS.workflowID ?? 'unknown';
      return runShape(workflowId, input, {
        now: () => new Date().toISOString(),
        track: (req) => DBOS.runStep(() => track(req), { name: 'track' }),
        checkApplicant: (i, onDate) => DBOS.runStep(() => acts.checkApplicant(i, onDate), { name: 'checkApplicant' }),
        reserveShares: (r) => DBOS.runStep(() => acts.reserveShares(r), { name: 'reserveShares' }),
        registerShares: (r) => DBOS.runStep(() => acts.registerShares(r), { name: 'registerShares' }),
        notifyShareholders: (n) => DBOS.runStep(() => acts.notifyShareholders(n), { name: 'notifyShareholders' }),
        decision: () => received<Decision>(DBOS_TOPICS.decide),
        signature: () => received<Signature>(DBOS_TOPICS.sign),
        payment: () => received<Payment>(DBOS_TOPICS.pay),
      });
    },
    { name: 'dbosOnboarding' },
  );
}
