import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';

/**
 * An onboarding driven the way a client drives it over HTTP: launch, the board's decision, the signed
 * subscription, the payment. Each step is repeated until it took effect, so the driver carries on through
 * a restarting API or worker (the faults suite) and under load (the soak).
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the answers are JSON of many shapes, read field by field
export type Answer = { status: number; body: any };
export type Caller = (method: string, path: string, body?: unknown) => Promise<Answer>;

/** Calls the API with a bearer token; a dropped connection (a killed or restarting API) answers status 0. */
export function httpCaller(baseUrl: string, token: string): Caller {
  return async (method, path, body) => {
    try {
      const res = await fetch(`${baseUrl}${path}`, {
        method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await res.text();
      return { status: res.status, body: text ? JSON.parse(text) : undefined };
    } catch {
      return { status: 0, body: undefined };
    }
  };
}

/** Repeats `fn` every 100 ms until `done` holds; the error names what it waited for and the last answer. */
export async function until(what: string, fn: () => Promise<Answer>, done: (r: Answer) => boolean, timeoutMs = 120_000): Promise<Answer> {
  const end = Date.now() + timeoutMs;
  let last: Answer | undefined;
  for (;;) {
    last = await fn();
    if (done(last)) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; the last answer: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

export const workflowPath = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

export function atStage(call: Caller, id: string, stage: string, timeoutMs?: number): Promise<Answer> {
  return until(`${id} at ${stage}`, () => call('GET', workflowPath(id)), (r) => r.status === 200 && r.body.stage === stage && r.body.status === 'running', timeoutMs);
}

export type Applicant = { name: string; businessId: string };

/** Launches an onboarding of `applicant` (repeated until accepted); resolves with the workflow id. */
export async function launchOnboarding(call: Caller, applicant: Applicant, shares: number, timeoutMs?: number): Promise<string> {
  const launched = await until('launch', () => call('POST', '/api/workflows/onboarding', {
    company: SOCOM_BUSINESS_ID, applicant: { ...applicant, kind: 'association' }, shares, pricePerShareCents: 50_00,
  }), (r) => r.status === 201, timeoutMs);
  return launched.body.workflowId as string;
}

/** Drives a launched onboarding through the board, the subscription and the payment. */
export async function completeOnboarding(call: Caller, id: string, shares: number, timeoutMs?: number): Promise<void> {
  const path = workflowPath(id);
  await atStage(call, id, 'board', timeoutMs);
  // Whether an earlier attempt got through or not, decide again until the run has moved on.
  await until(`${id} board`, async () => {
    const seen = await call('GET', path);
    if (seen.status !== 200 || seen.body.stage !== 'board') return seen;
    return call('POST', `${path}/decisions`, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 1/2026 § 3' });
  }, (r) => r.status === 200 && r.body.stage !== 'board', timeoutMs);
  await atStage(call, id, 'subscription', timeoutMs);
  await until(`${id} signed`, () => call('POST', `${path}/events`, { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` }), (r) => r.status === 202, timeoutMs);
  await atStage(call, id, 'payment', timeoutMs);
  await until(`${id} paid`, () => call('POST', `${path}/events`, {
    type: 'payment.received', payload: { amountCents: shares * 50_00, currency: 'EUR' }, idempotencyKey: `${id}:paid`,
    // An earlier attempt that got through but whose answer was lost (an API killed mid-request) has
    // completed the run: the retry then hears that it ended.
  }), (r) => r.status === 202 || (r.status === 409 && r.body.error === 'workflow_closed' && /\(completed\)/.test(String(r.body.message))), timeoutMs);
}

/** Launch and drive to the payment; resolves with the workflow id. */
export async function driveOnboarding(call: Caller, applicant: Applicant, shares = 2, timeoutMs?: number): Promise<string> {
  const id = await launchOnboarding(call, applicant, shares, timeoutMs);
  await completeOnboarding(call, id, shares, timeoutMs);
  return id;
}
