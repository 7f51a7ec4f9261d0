import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
import { expectProjectionRebuilt } from './support/projection-check';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let auditor: string;

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  [admin, auditor] = await Promise.all([api.token('admin'), api.token('auditor')]);
});

afterAll(async () => {
  await stack?.stop();
});

const wf = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

async function launch(extra: Record<string, unknown> = {}): Promise<string> {
  const r = await api.request('POST', '/api/workflows/onboarding', {
    token: admin,
    body: { company: SOCOM_BUSINESS_ID, applicant: { name: 'Ajassa ry', businessId: freshBusinessId(), kind: 'association' }, shares: 2, pricePerShareCents: 50_00, ...extra },
  });
  expect(r.status).toBe(201);
  return r.body.workflowId;
}

async function until(id: string, pred: (d: any) => boolean, what: string) {
  return eventually(async () => {
    const d = (await api.request('GET', wf(id), { token: admin })).body;
    return pred(d) ? d : undefined;
  }, 30_000, what);
}

async function completeOne(): Promise<{ id: string; beforePayment: Date }> {
  const id = await launch();
  await until(id, (d) => d.stage === 'board', 'board');
  await api.request('POST', `${wf(id)}/decisions`, { token: admin, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: '§ 1' } });
  await until(id, (d) => d.stage === 'subscription', 'subscription');
  await api.request('POST', `${wf(id)}/events`, { token: admin, body: { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:s` } });
  await until(id, (d) => d.stage === 'payment' && d.status === 'running', 'payment');
  const beforePayment = new Date();
  await new Promise((r) => setTimeout(r, 20));
  await api.request('POST', `${wf(id)}/events`, { token: admin, body: { type: 'payment.received', payload: { amountCents: 100_00, currency: 'EUR' }, idempotencyKey: `${id}:p` } });
  await until(id, (d) => d.status === 'completed', 'completed');
  return { id, beforePayment };
}

describe('the audit trail rebuilds the projection', () => {
  let completed: { id: string; beforePayment: Date };

  beforeAll(async () => {
    completed = await completeOne();
    const rejected = await launch();
    await until(rejected, (d) => d.stage === 'board', 'board');
    await api.request('POST', `${wf(rejected)}/decisions`, { token: admin, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'no' } });
    const cancelled = await launch();
    await until(cancelled, (d) => d.stage === 'board', 'board');
    await api.request('POST', `${wf(cancelled)}/cancel`, { token: admin, body: { reason: 'withdrawn by the applicant' } });
    await until(rejected, (d) => d.status === 'rejected', 'rejected');
    await until(cancelled, (d) => d.status === 'cancelled', 'cancelled');
  });

  test('folding every workflow’s audit events gives exactly the live projection tables', async () => {
    const runs = await db.pool.query('SELECT * FROM process_runs ORDER BY workflow_id');
    expect(runs.rows.length).toBe(3);
    for (const row of runs.rows) await expectProjectionRebuilt(db.pool, row.workflow_id);
  });

  test('an auditor sees the state as it was before the payment, and as it is now', async () => {
    const before = await api.request('GET', `${wf(completed.id)}/state?at=${encodeURIComponent(completed.beforePayment.toISOString())}`, { token: auditor });
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({ status: 'running', stage: 'payment', registry: [] });
    expect(before.body.approvals).toEqual([expect.objectContaining({ status: 'approved', reference: '§ 1' })]);
    const now = await api.request('GET', `${wf(completed.id)}/state`, { token: auditor });
    expect(now.body).toMatchObject({ status: 'completed', stage: 'notified', percent: 100 });
    expect(now.body.registry).toEqual([expect.objectContaining({ companyId: SOCOM_BUSINESS_ID, lastNo: expect.any(Number), inForce: true })]);
    expect(now.body.asOfSeq).toBeGreaterThan(before.body.asOfSeq);
    const tooEarly = await api.request('GET', `${wf(completed.id)}/state?at=2001-01-01`, { token: auditor });
    expect(tooEarly.status).toBe(404);
    const bad = await api.request('GET', `${wf(completed.id)}/state?at=yesterday`, { token: auditor });
    expect(bad.status).toBe(400);
    expect(bad.body.details[0].path).toBe('at');
    expect((await api.request('GET', `${wf(completed.id)}/state`, { token: await api.token('manager') })).status).toBe(403);
  });
});
