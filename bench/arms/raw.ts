/**
 * W1: the onboarding's statements issued directly with `pg`, no workflow engine: the same registry
 * functions and tracking SQL, in the same order, with the decision and the events already at hand.
 * One connection one onboarding after another, and 16 connections with 16 onboardings in flight.
 */
import { createOnboardingActivities } from '../../activities/registry/onboarding.activities';
import { createPool } from '../../libs/db/pool';
import { createTrack } from '../bare/activities';
import { runShape } from '../shape';
import { application } from '../support';

export type RawResult = { connections: number; onboardings: number; seconds: number; perSecond: number; latenciesMs: number[] };

export async function runRaw(url: string, connections: number, onboardings: number, firstN: number): Promise<RawResult> {
  const pool = createPool(url, connections);
  const acts = createOnboardingActivities({ pool });
  const track = createTrack(pool, () => null);
  let next = firstN;
  const latenciesMs: number[] = [];
  const started = performance.now();
  try {
    const lane = async () => {
      while (next < firstN + onboardings) {
        const n = next++;
        const input = application(1, n);
        const t0 = performance.now();
        const result = await runShape(`onboarding:${input.company}:${input.applicant.businessId}`, input, {
          now: () => new Date().toISOString(),
          track, ...acts,
          decision: async () => ({ party: input.company, decision: 'approve', actor: 'admin:bench', reference: 'bench' }),
          signature: async () => ({ idempotencyKey: `${n}#sign`, actor: 'admin:bench' }),
          payment: async () => ({ idempotencyKey: `${n}#pay`, amountCents: input.shares * input.pricePerShareCents, actor: 'admin:bench' }),
        });
        if (result.status !== 'completed') throw new Error(`raw onboarding ${n} ended ${result.status}`);
        latenciesMs.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: connections }, lane));
  } finally {
    await pool.end();
  }
  const seconds = (performance.now() - started) / 1000;
  return { connections, onboardings, seconds, perSecond: onboardings / seconds, latenciesMs };
}
