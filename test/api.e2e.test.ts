import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;
let auditor: string;

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  [admin, manager, auditor] = await Promise.all([api.token('admin'), api.token('manager'), api.token('auditor')]);
});

afterAll(async () => {
  await stack?.stop();
});

async function waitForStage(workflowId: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager });
    return r.status === 200 && r.body.stage === stage && r.body.status === 'running' ? r.body : undefined;
  }, 20_000, `${workflowId} at ${stage}`);
}

async function waitForEnd(workflowId: string) {
  return eventually(async () => {
    const r = await api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}`, { token: manager });
    return r.status === 200 && r.body.status !== 'running' ? r.body : undefined;
  }, 30_000, `${workflowId} to end`);
}

async function rowCounts() {
  const r = await db.pool.query(`SELECT (SELECT count(*) FROM process_runs)::int AS runs, (SELECT count(*) FROM audit_events)::int AS audit,
    (SELECT count(*) FROM inbound_events)::int AS events, (SELECT count(*) FROM share_register)::int AS register`);
  return r.rows[0];
}

describe('HTTP → Temporal → worker → PostgreSQL', () => {
  test('health, readiness and the OpenAPI document answer without a token', async () => {
    expect((await api.request('GET', '/healthz')).body).toEqual({ ok: true });
    expect((await api.request('GET', '/readyz')).body).toEqual({ ok: true, postgres: 'ok', temporal: 'ok' });
    const doc = await api.request('GET', '/api/docs/json');
    expect(doc.status).toBe(200);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/workflows/onboarding', '/api/workflows/{id}/decisions']));
  });

  test('a municipality-owned company onboards the Kymenlaakso wellbeing services county, end to end', async () => {
    const body = {
      company: SOCOM_BUSINESS_ID,
      applicant: { name: 'Kymenlaakson hyvinvointialue', businessId: KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, kind: 'wellbeing-county' },
      shares: 20,
      pricePerShareCents: 100_00,
    };
    const launched = await api.request('POST', '/api/workflows/onboarding', { token: admin, body });
    expect([launched.status, launched.body.error, launched.body.message]).toEqual([201, undefined, undefined]);
    expect(launched.body).toEqual({ workflowId: `onboarding:${SOCOM_BUSINESS_ID}:${KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID}`, runId: expect.any(String), status: 'running' });
    const id = launched.body.workflowId as string;
    const path = `/api/workflows/${encodeURIComponent(id)}`;

    const again = await api.request('POST', '/api/workflows/onboarding', { token: admin, body });
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('duplicate_business_key');

    const atBoard = await waitForStage(id, 'board');
    expect(atBoard.pendingApprovals).toEqual([expect.objectContaining({ gate: 'board', party: SOCOM_BUSINESS_ID })]);
    expect(atBoard.waitingFor).toEqual([expect.stringContaining('Board of Socom')]);

    const listed = await api.request('GET', `/api/workflows?kind=onboarding&stage=board&org=${KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID}`, { token: auditor });
    expect(listed.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(id);

    expect((await api.request('POST', `${path}/decisions`, { token: auditor, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve' } })).status).toBe(403);
    const notParty = await api.request('POST', `${path}/decisions`, { token: manager, body: { gate: 'board', party: THL_BUSINESS_ID, decision: 'approve' } });
    expect(notParty.status).toBe(422);
    expect(notParty.body.error).toBe('not_in_gate');

    const decided = await api.request('POST', `${path}/decisions`, {
      token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 3/2023 § 5' },
    });
    expect(decided.status).toBe(200);
    expect(decided.body.approvals).toEqual([expect.objectContaining({ status: 'approved', reference: 'Hallitus 3/2023 § 5', decidedBy: expect.stringMatching(/^manager:/) })]);
    const closedGate = await api.request('POST', `${path}/decisions`, { token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject' } });
    expect(closedGate.status).toBe(409);

    await waitForStage(id, 'subscription');
    const signed = await api.request('POST', `${path}/events`, { token: admin, body: { type: 'subscription.signed', payload: {}, idempotencyKey: `${id}:signed` } });
    expect(signed).toEqual({ status: 202, body: { status: 'delivered', workflowId: id, idempotencyKey: `${id}:signed` } });

    await waitForStage(id, 'payment');
    const before = await rowCounts();
    const sek = await api.request('POST', `${path}/events`, { token: admin, body: { type: 'payment.received', payload: { amountCents: 1000, currency: 'SEK' }, idempotencyKey: 'p-sek' } });
    expect(sek.status).toBe(422);
    expect(sek.body.details).toEqual([{ path: 'payload.currency', message: 'only EUR is accepted' }]);
    const tooMuch = await api.request('POST', `${path}/events`, { token: admin, body: { type: 'payment.received', payload: { amountCents: 2000_01, currency: 'EUR' }, idempotencyKey: 'p-big' } });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error).toBe('overpayment');
    expect(await rowCounts()).toEqual(before);

    // Part payments add up; the bank's retry of the first one is accepted once.
    const businessKey = id;
    const first = await api.request('POST', '/api/events', { token: admin, body: { type: 'payment.received', businessKey, payload: { amountCents: 1500_00, currency: 'EUR' }, idempotencyKey: 'bank-1' } });
    expect(first.body.status).toBe('delivered');
    const retry = await api.request('POST', '/api/events', { token: admin, body: { type: 'payment.received', businessKey, payload: { amountCents: 1500_00, currency: 'EUR' }, idempotencyKey: 'bank-1' } });
    expect(retry.body.status).toBe('duplicate');
    await api.request('POST', '/api/events', { token: admin, body: { type: 'payment.received', businessKey, payload: { amountCents: 500_00, currency: 'EUR' }, idempotencyKey: 'bank-2' } });

    const finished = await waitForEnd(id);
    expect(finished).toMatchObject({ status: 'completed', stage: 'notified', percent: 100 });
    expect(finished.stages.map((s: { status: string }) => s.status)).toEqual(['done', 'done', 'done', 'done', 'done', 'done']);

    const register = await api.request('GET', `/api/companies/${SOCOM_BUSINESS_ID}/shareholders`, { token: manager });
    const county = register.body.holders.find((h: { businessId: string }) => h.businessId === KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID);
    expect(county).toMatchObject({ shares: 20, ranges: [{ first: register.body.totals.sharesIssued - 19, last: register.body.totals.sharesIssued }] });
    expect(register.body.totals.sharesHeld).toBe(register.body.totals.sharesIssued);

    const audit = await api.request('GET', `${path}/audit`, { token: auditor });
    expect(audit.body.items.map((e: { action: string }) => e.action)).toEqual(expect.arrayContaining(['workflow.launched', 'approval.approved', 'workflow.completed']));
    expect((await api.request('GET', '/api/audit/verify', { token: auditor })).body).toMatchObject({ ok: true });
    const history = await api.request('GET', `${path}/history`, { token: auditor });
    expect(history.status).toBe(200);
    expect(history.body.events[0].eventType).toBe('EVENT_TYPE_WORKFLOW_EXECUTION_STARTED');
  });

  test('a board rejection through the API ends the workflow as rejected', async () => {
    const launched = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody() });
    const id = launched.body.workflowId as string;
    await waitForStage(id, 'board');
    const rejected = await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/decisions`, {
      token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'the articles do not allow associations now' },
    });
    expect(rejected.body.approvals).toEqual([expect.objectContaining({ status: 'rejected', comment: 'the articles do not allow associations now' })]);
    const ended = await waitForEnd(id);
    expect(ended).toMatchObject({ status: 'rejected', failure: 'the board rejected the application' });
    expect(ended.pendingApprovals).toEqual([]);
  });

  test('a subscription that is not signed in time expires', async () => {
    const launched = await api.request('POST', '/api/workflows/onboarding', {
      token: admin, body: associationLaunchBody({ deadlines: { subscription: '2 s', reminders: ['1 s'] } }),
    });
    const id = launched.body.workflowId as string;
    await waitForStage(id, 'board');
    await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/decisions`, { token: admin, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve' } });
    const ended = await waitForEnd(id);
    expect(ended).toMatchObject({ status: 'expired', stage: 'subscription' });
    // The stage's deadline is its planned date, two seconds after it started.
    const subscription = ended.stages.find((s: { key: string }) => s.key === 'subscription');
    expect(Date.parse(subscription.plannedAt) - Date.parse(subscription.startedAt)).toBeGreaterThanOrEqual(1_900);
    expect(Date.parse(subscription.plannedAt) - Date.parse(subscription.startedAt)).toBeLessThan(3_000);
    expect(ended.steps.map((s: { key: string }) => s.key)).toContain('subscription.reminder.1 s');
    const expired = await api.request('GET', '/api/workflows?status=expired', { token: manager });
    expect(expired.body.items.map((i: { workflowId: string }) => i.workflowId)).toContain(id);
  });

  test('bad input gets a 4xx naming the field and the reason, and writes nothing', async () => {
    const before = await rowCounts();
    const wrongDigit = await api.request('POST', '/api/workflows/onboarding', {
      token: admin, body: associationLaunchBody({ applicant: { name: 'X ry', businessId: '2229500-5', kind: 'association' } }),
    });
    expect(wrongDigit.status).toBe(400);
    expect(wrongDigit.body).toMatchObject({ error: 'invalid_input', details: [{ path: 'applicant.businessId', message: 'check digit should be 6' }] });
    const remainderOne = await api.request('POST', '/api/workflows/onboarding', {
      token: admin, body: associationLaunchBody({ applicant: { name: 'X ry', businessId: '1000008-0', kind: 'association' } }),
    });
    expect(remainderOne.body.details[0]).toEqual({ path: 'applicant.businessId', message: 'numbers whose remainder is 1 are never issued' });
    const negative = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ shares: -3 }) });
    expect(negative.body.details).toEqual([{ path: 'shares', message: 'must be at least 1' }]);
    const fractional = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ shares: 1.5 }) });
    expect(fractional.body.details).toEqual([{ path: 'shares', message: 'must be a whole number of shares' }]);
    const unknownCompany = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ company: '1572860-0' }) });
    expect(unknownCompany.status).toBe(422);
    expect(unknownCompany.body.details).toEqual([{ path: 'company', message: 'not in the registry' }]);
    const malformed = await api.request('POST', '/api/workflows/onboarding', { token: admin, raw: '{"company": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body.error).toBe('invalid_input');
    const huge = await api.request('POST', '/api/workflows/onboarding', { token: admin, raw: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }) });
    expect(huge.status).toBe(413);
    expect(huge.body.error).toBe('body_too_large');
    const unknownKind = await api.request('POST', '/api/workflows/merger', { token: admin, body: {} });
    expect(unknownKind.status).toBe(404);
    expect((await api.request('GET', '/api/workflows?limit=500', { token: admin })).body.details).toEqual([{ path: 'limit', message: expect.any(String) }]);
    expect(await rowCounts()).toEqual(before);
  });

  test('roles and scopes: 401 without a token, 403 for the wrong role, a scoped token sees only its organisation', async () => {
    expect((await api.request('GET', '/api/workflows')).status).toBe(401);
    expect((await api.request('GET', '/api/workflows', { token: 'fuusio_admin_forged' })).status).toBe(401);
    expect((await api.request('POST', '/api/workflows/onboarding', { token: manager, body: associationLaunchBody() })).status).toBe(403);
    expect((await api.request('GET', '/api/audit/verify', { token: manager })).status).toBe(403);

    const launched = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody() });
    const id = launched.body.workflowId as string;
    await waitForStage(id, 'board');
    const outsider = await api.token('manager', THL_BUSINESS_ID);
    const seen = await api.request('GET', '/api/workflows', { token: outsider });
    expect(seen.body.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(id);
    expect((await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: outsider })).status).toBe(404);
    const socomManager = await api.token('manager', SOCOM_BUSINESS_ID);
    expect((await api.request('GET', `/api/workflows/${encodeURIComponent(id)}`, { token: socomManager })).status).toBe(200);

    const cancelled = await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/cancel`, { token: admin, body: { reason: 'applied by mistake' } });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', failure: 'applied by mistake' });
    const again = await api.request('POST', `/api/workflows/${encodeURIComponent(id)}/cancel`, { token: admin, body: { reason: 'twice' } });
    expect(again.status).toBe(409);
  });

  test('an auditor replays the recorded histories of finished workflows against the current code', async () => {
    expect((await api.request('POST', '/api/audit/replay', { token: manager, body: { query: 'status=completed' } })).status).toBe(403);
    const r = await api.request('POST', '/api/audit/replay', { token: auditor, body: { query: 'status=completed' } });
    expect(r.status).toBe(200);
    expect(r.body.results.length).toBeGreaterThanOrEqual(1);
    expect(r.body.results.every((x: { ok: boolean }) => x.ok)).toBe(true);
    const none = await api.request('POST', '/api/audit/replay', { token: auditor, body: {} });
    expect(none.status).toBe(400);
  });

  test('counts match the list for the same filters and respect a scoped token', async () => {
    const all = await api.request('GET', '/api/workflows?kind=onboarding&limit=200', { token: manager });
    const counts = await api.request('GET', '/api/workflows/counts?kind=onboarding', { token: manager });
    expect(counts.status).toBe(200);
    expect(counts.body.total).toBe(all.body.items.length);
    expect(counts.body.byKind).toEqual({ onboarding: all.body.items.length });
    const byStatus: Record<string, number> = {};
    for (const i of all.body.items as { status: string }[]) byStatus[i.status] = (byStatus[i.status] ?? 0) + 1;
    expect(counts.body.byStatus).toEqual(byStatus);
    const byHealth: Record<string, number> = { red: 0, amber: 0, green: 0 };
    for (const i of all.body.items as { health: { level: string } }[]) byHealth[i.health.level] = (byHealth[i.health.level] ?? 0) + 1;
    expect(counts.body.byHealth).toEqual(byHealth);
    const outsider = await api.token('manager', THL_BUSINESS_ID);
    expect((await api.request('GET', '/api/workflows/counts', { token: outsider })).body).toEqual({ total: 0, byKind: {}, byStatus: {}, byHealth: { red: 0, amber: 0, green: 0 } });
    expect((await api.request('GET', '/api/workflows/counts?status=nonsense', { token: manager })).status).toBe(400);
  });

  test('an event that matches no workflow is stored as unmatched, never dropped', async () => {
    const r = await api.request('POST', '/api/events', {
      token: admin, body: { type: 'payment.received', businessKey: 'onboarding:nobody', payload: { amountCents: 5 }, idempotencyKey: 'orphan-1' },
    });
    expect(r).toEqual({ status: 202, body: { status: 'unmatched', workflowId: null, idempotencyKey: 'orphan-1' } });
    const stored = await db.pool.query(`SELECT status, business_key FROM inbound_events WHERE idempotency_key = 'orphan-1'`);
    expect(stored.rows).toEqual([{ status: 'unmatched', business_key: 'onboarding:nobody' }]);
  });
});
