/**
 * A portfolio a manager recognises, driven through the API the way people would drive it: the Uusimaa
 * consolidation in its decision chain, Socom onboardings in several stages (one completed, one
 * cancelled), so the overview, the consolidation view and the portfolio timeline all have something
 * true to show. Every date comes from the injected `today`; nothing names a month.
 *
 * What the engine cannot show on the day it is seeded is left out rather than faked: a running
 * onboarding is never overdue (its deadline ends it as expired). The overdue project report comes from
 * the project records instead (`seedRunningDemoProject`, demo-projects.ts).
 *
 * The applicants are FICTIONAL associations with demo business IDs in the 995xxxx range.
 */
import { SOCOM_BUSINESS_ID, demoId } from './demo-data';
import {
  SOCCA_BUSINESS_ID, VERSO_BUSINESS_ID, nextNewYear, uusimaaLaunchBody,
} from './demo-consolidation';
import { DEMO_SHARE_PRICE_CENTS } from './seed';

export type PortfolioApi = { baseUrl: string; token: string };

/** Where each onboarding is left: the stage it waits in, or how it ended. */
export type OnboardingTarget = 'board' | 'subscription' | 'payment' | 'completed' | 'cancelled';

export const DEMO_APPLICANTS: { serial: number; name: string; shares: number; target: OnboardingTarget }[] = [
  { serial: 1, name: 'Kymen Sosiaalityön Tuki ry', shares: 4, target: 'board' },
  { serial: 2, name: 'Etelä-Karjalan Osallisuusyhdistys ry', shares: 6, target: 'subscription' },
  { serial: 3, name: 'Lappeenrannan Setlementti ry', shares: 3, target: 'payment' },
  { serial: 4, name: 'Haminan Vapaaehtoiskeskus ry', shares: 2, target: 'completed' },
  { serial: 5, name: 'Kotkan Järjestöverkosto ry', shares: 5, target: 'cancelled' },
];

/** Demo business ID of a portfolio applicant: group 9 (which demo-data.ts leaves unused), serials from 5001. */
export function portfolioApplicantId(serial: number): string {
  return demoId(9, 5000 + serial);
}

/** The consolidation's decisions already taken when the demo opens: the first body of three chains. */
export const DECIDED_IN_CHAIN: { party: string; body: string; reference: string }[] = [
  { party: SOCCA_BUSINESS_ID, body: 'socca-steering-group', reference: 'Socca ohjausryhmä 4/§ 2' },
  { party: VERSO_BUSINESS_ID, body: 'verso-board', reference: 'Verso hallitus 9/§ 5' },
  { party: VERSO_BUSINESS_ID, body: 'joint-authority-board', reference: 'Kuntayhtymän hallitus 11/§ 8' },
];

export type PortfolioSeed = { consolidation: string; onboardings: Record<OnboardingTarget, string>; alreadyThere: string[] };

type Answer = { status: number; body: Record<string, unknown> };

/**
 * Launches and drives the portfolio. `slug` names the consolidation (default `uusimaa-<year>`) and
 * `applicantId` the applicants (tests give fresh ones, since Temporal keeps ids between runs). A
 * workflow that already exists (409: a restart of `npm start`) is left as it is.
 */
export async function seedDemoPortfolio(
  http: PortfolioApi,
  opts: { today: Date; slug?: string; applicantId?: (serial: number) => string; timeoutMs?: number },
): Promise<PortfolioSeed> {
  const call = async (method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(`${http.baseUrl}${path}`, {
      method,
      headers: { authorization: `Bearer ${http.token}`, 'content-type': 'application/json' },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return { status: res.status, body: (await res.json().catch(() => ({}))) as Record<string, unknown> };
  };
  const must = async (method: string, path: string, body: unknown, ok: number[]): Promise<Answer> => {
    const a = await call(method, path, body);
    if (!ok.includes(a.status)) throw new Error(`demo portfolio: ${method} ${path} answered ${a.status} ${JSON.stringify(a.body)}`);
    return a;
  };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const at = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;
  const reached = async (id: string, done: (d: Record<string, unknown>) => boolean, what: string): Promise<void> => {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const d = await call('GET', at(id));
      if (d.status === 200 && done(d.body)) return;
      if (Date.now() > until) throw new Error(`demo portfolio: ${id} did not reach ${what} (last: ${JSON.stringify(d.body.stage)} ${JSON.stringify(d.body.status)})`);
      await new Promise((r) => setTimeout(r, 150));
    }
  };
  const inStage = (id: string, stage: string) => reached(id, (d) => d.stage === stage && d.status === 'running', `stage ${stage}`);
  const alreadyThere: string[] = [];
  const launch = async (kind: string, body: unknown): Promise<{ id: string; fresh: boolean }> => {
    const a = await must('POST', `/api/workflows/${kind}`, body, [201, 409]);
    if (a.status === 201) return { id: String(a.body.workflowId), fresh: true };
    return { id: '', fresh: false };
  };

  // The consolidation: study done, three decisions taken, the rest of the chains waiting.
  const effectiveDate = nextNewYear(opts.today);
  const body = { ...uusimaaLaunchBody(effectiveDate, opts.today), ...(opts.slug ? { slug: opts.slug } : {}) };
  const consolidationId = `consolidation:${body.slug}`;
  const consolidation = await launch('consolidation', body);
  if (consolidation.fresh) {
    await inStage(consolidationId, 'feasibility');
    await must('POST', `${at(consolidationId)}/events`, {
      type: 'study.completed', idempotencyKey: `${consolidationId}:study`,
      payload: { findings: 'One Uusimaa centre hosted with HUS; Verso’s Itä-Uusimaa part moves by transfer of undertaking.' },
    }, [202]);
    await inStage(consolidationId, 'decisions');
    for (const d of DECIDED_IN_CHAIN) {
      await must('POST', `${at(consolidationId)}/decisions`, { gate: 'decisions', party: d.party, body: d.body, decision: 'approve', reference: d.reference }, [200]);
    }
  } else alreadyThere.push(consolidationId);

  // The onboardings, each driven to its stage (or end).
  const onboardings = {} as Record<OnboardingTarget, string>;
  for (const a of DEMO_APPLICANTS) {
    const businessId = (opts.applicantId ?? portfolioApplicantId)(a.serial);
    const id = `onboarding:${SOCOM_BUSINESS_ID}:${businessId}`;
    onboardings[a.target] = id;
    const launched = await launch('onboarding', {
      company: SOCOM_BUSINESS_ID, applicant: { name: a.name, businessId, kind: 'association' }, shares: a.shares, pricePerShareCents: DEMO_SHARE_PRICE_CENTS,
    });
    if (!launched.fresh) {
      alreadyThere.push(id);
      continue;
    }
    await inStage(id, 'board');
    if (a.target === 'cancelled') {
      await must('POST', `${at(id)}/cancel`, { reason: 'The association withdrew its application' }, [200]);
      continue;
    }
    if (a.target === 'board') continue;
    await must('POST', `${at(id)}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: `Socom hallitus ${a.serial}/§ 3` }, [200]);
    await inStage(id, 'subscription');
    if (a.target === 'subscription') continue;
    await must('POST', `${at(id)}/events`, { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` }, [202]);
    await inStage(id, 'payment');
    if (a.target === 'payment') continue;
    await must('POST', `${at(id)}/events`, {
      type: 'payment.received', payload: { amountCents: a.shares * DEMO_SHARE_PRICE_CENTS, currency: 'EUR' }, idempotencyKey: `${id}:paid`,
    }, [202]);
    await reached(id, (d) => d.status === 'completed', 'completion');
  }
  return { consolidation: consolidationId, onboardings, alreadyThere };
}

