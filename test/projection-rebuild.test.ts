import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { AuditRepository, restoredPayload } from '../libs/db/repositories/audit.repository';
import { foldTracked, type TrackedPayload } from '../libs/domain/projection';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { freshBusinessId } from './support/onboarding-fixtures';
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
    const audit = new AuditRepository();
    for (const row of runs.rows) {
      const rebuilt = foldTracked((await audit.forWorkflow(db.pool, row.workflow_id)).map((e) => restoredPayload(e) as TrackedPayload));
      const run = rebuilt.run;
      if (!run) throw new Error(`no snapshot for ${row.workflow_id}`);
      expect({
        kind: run.kind, business_key: run.businessKey, title: run.title, status: run.status, stage: run.stage, percent: run.percent,
        organisations: run.organisations, waiting_for: run.waitingFor, next_deadline: run.nextDeadline, stages: run.stages,
        result: run.result ?? null, failure: run.failure ?? null, started_at: run.startedAt,
      }).toEqual({
        kind: row.kind, business_key: row.business_key, title: row.title, status: row.status, stage: row.stage, percent: row.percent,
        organisations: row.organisations, waiting_for: row.waiting_for, next_deadline: row.next_deadline?.toISOString() ?? null,
        stages: row.stages, result: row.result, failure: row.failure, started_at: row.started_at.toISOString(),
      });
      const steps = await db.pool.query('SELECT * FROM process_steps WHERE workflow_id = $1 ORDER BY step_key', [row.workflow_id]);
      expect([...rebuilt.steps].sort((a, b) => a.key.localeCompare(b.key)).map((s) => ({
        key: s.key, stage: s.stage, title: s.title, status: s.status, startedAt: s.startedAt ?? null, finishedAt: s.finishedAt ?? null,
        dueAt: s.dueAt ?? null, detail: s.detail ?? {},
      }))).toEqual(steps.rows.map((s) => ({
        key: s.step_key, stage: s.stage, title: s.title, status: s.status, startedAt: s.started_at?.toISOString() ?? null,
        finishedAt: s.finished_at?.toISOString() ?? null, dueAt: s.due_at?.toISOString() ?? null, detail: s.detail,
      })));
      const approvals = await db.pool.query('SELECT * FROM approvals WHERE workflow_id = $1 ORDER BY gate, party', [row.workflow_id]);
      expect(rebuilt.approvals.map((a) => ({
        gate: a.gate, party: a.party, body: a.body, status: a.status, dueAt: a.dueAt, decidedAt: a.decidedAt ?? null,
        decidedBy: a.decidedBy ?? null, comment: a.comment ?? null, reference: a.reference ?? null,
      }))).toEqual(approvals.rows.map((a) => ({
        gate: a.gate, party: a.party, body: a.body, status: a.status, dueAt: a.due_at?.toISOString() ?? null,
        decidedAt: a.decided_at?.toISOString() ?? null, decidedBy: a.decided_by, comment: a.comment, reference: a.reference,
      })));
    }
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
