import { Worker } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createActivities } from '../activities';
import { seedDemoData } from '../infra/seed/seed';
import { DAY_MS, isoDate } from '../libs/domain/duration';
import { addDays, addMonths, dayStartMs, planPeriods, projectBusinessKey, projectInputSchema } from '../libs/domain/project';
import { startApi, type TestApi } from './support/api-harness';
import { createTestDatabase, eventually, type TestDatabase } from './support/harness';
import { testEnv } from './support/test-env';
import { DIAK, HAMINA, KOTKA, STM, THL, startTimeSkipping } from './project-fixtures';

// Issue 4's done-criterion: Sokra I → Sokra II → extension on the real stack, through the API only.
// The real API (in-process) and a real worker (real activities on PostgreSQL) run against Temporal's
// time-skipping test server; every launch, decision, event and read is an HTTP call with a token, and
// only the clock is moved by the test (env.sleep). The demo Sokra records are not seeded, so the code
// S29999 stands in for S20220.
const CODE = 'S29999';

type Period = { no: number; start: string; end: string; dueOn: string };
type ProjectAnswer = {
  workflowId: string; euraCode: string; status: string; startDate: string; endDate: string; plannedEndDate: string;
  periods: Period[]; reports: { period: number; reportedOn: string; costsCents: number; late: boolean }[];
  predecessor: { workflowId: string; startDate: string; endDate: string } | null;
  continuation: { workflowId: string } | null;
  chain: { workflowId: string; status: string }[];
  retainUntil: string | null; documents: { kind: string; detail: Record<string, unknown> }[]; indicators: { key: string; actual: number | null }[];
};

let ts: Awaited<ReturnType<typeof startTimeSkipping>>;
let db: TestDatabase;
let api: TestApi;
let worker: Worker;
let running: Promise<void>;
let admin: string;
let manager: string;
let auditor: string;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  ts = await startTimeSkipping(db.pool);
  const namespace = ts.env.namespace ?? 'default';
  const taskQueue = `sokra-${randomUUID()}`;
  worker = await Worker.create({
    connection: ts.env.nativeConnection, namespace, taskQueue, activities: createActivities({ pool: db.pool }), workflowBundle: { codePath: testEnv('bundle') },
  });
  running = worker.run();
  api = await startApi(db, { client: ts.env.client, namespace, address: ts.env.address, taskQueue, close: async () => undefined });
  admin = await api.token('admin');
  manager = await api.token('manager');
  auditor = await api.token('auditor');
}, 60_000);

afterAll(async () => {
  await api?.close();
  if (worker?.getState() === 'RUNNING') worker.shutdown();
  await running;
  await ts?.env.teardown();
  await db?.drop();
});

const enc = encodeURIComponent;

async function launch(body: Record<string, unknown>): Promise<string> {
  const r = await api.request('POST', '/api/workflows/project', { token: admin, body });
  expect([r.status, r.body.workflowId]).toEqual([201, projectBusinessKey(projectInputSchema.parse(body))]);
  return r.body.workflowId as string;
}

async function event(id: string, type: string, payload: Record<string, unknown> = {}): Promise<void> {
  const r = await api.request('POST', `/api/workflows/${enc(id)}/events`, { token: manager, body: { type, payload, idempotencyKey: randomUUID() } });
  expect([type, r.status, r.body.status]).toEqual([type, 202, 'delivered']);
}

async function fundingApproved(id: string, reference: string): Promise<Detail> {
  await event(id, 'partners.confirmed');
  await event(id, 'application.submitted', { reference: `EURA-hakemus ${reference}` });
  const r = await api.request('POST', `/api/workflows/${enc(id)}/decisions`, {
    token: manager, body: { gate: 'funding', party: STM, decision: 'approve', reference },
  });
  expect(r.status).toBe(200);
  return until(id, (d) => d.stage === 'implementation', 'implementation');
}

type Detail = {
  status: string; stage: string; percent: number; waitingFor: string[]; steps: { key: string; status: string }[]; stages: { key: string; status: string }[]; result: Record<string, unknown> | null;
};

async function detail(id: string): Promise<Detail> {
  const r = await api.request('GET', `/api/workflows/${enc(id)}`, { token: manager });
  expect(r.status).toBe(200);
  return r.body as Detail;
}

/**
 * Polls GET /api/workflows/{id} until the projection satisfies `ok`. The workflow writes the projection
 * through activities, so right after a launch it may not exist yet (404).
 */
function until(id: string, ok: (d: Detail) => boolean, what: string): Promise<Detail> {
  return eventually(async () => {
    const r = await api.request('GET', `/api/workflows/${enc(id)}`, { token: manager });
    if (r.status === 404) return undefined;
    expect(r.status).toBe(200);
    return ok(r.body as Detail) ? (r.body as Detail) : undefined;
  }, 30_000, `${id}: ${what}`);
}

async function project(codeOrKey: string): Promise<ProjectAnswer> {
  const r = await api.request('GET', `/api/projects/${enc(codeOrKey)}`, { token: manager });
  expect(r.status).toBe(200);
  return r.body as ProjectAnswer;
}

const stepDone = (d: Detail, key: string, status = 'done') => d.steps.some((s) => s.key === key && s.status === status);

/**
 * Lets each period end, waits until the workflow has moved on (the next period's run has started, or
 * after the last one, closing) and reports it through the API, two days after the period ended.
 */
async function reportPeriods(id: string, periods: readonly Period[], last: number): Promise<void> {
  for (const p of periods) {
    await ts.skipTo(dayStartMs(p.end) + 2 * DAY_MS);
    await until(id, (d) => (p.no === last ? d.stage === 'closing' : stepDone(d, `period.${p.no + 1}`, 'running')), `past period ${p.no}`);
    await event(id, 'report.submitted', { period: p.no, costsCents: 100_000_00 + p.no, reference: `maksatushakemus ${p.no}` });
    await until(id, (d) => stepDone(d, `report.${p.no}`), `report ${p.no} recorded`);
  }
}

/** Closing (the three documents), rooting (a publication), then the workflow completes archived. */
async function closeAndRoot(id: string, where: string): Promise<Detail> {
  for (const document of ['final-report', 'monitoring-form', 'final-payment']) await event(id, 'closing.approved', { document, reference: `${document} hyväksytty` });
  await until(id, (d) => d.stage === 'rooting', 'rooting');
  await event(id, 'results.published', { where, title: 'Toimintamalli ja hyvät käytännöt' });
  return until(id, (d) => d.status !== 'running', 'the end');
}

/** The gap-free chain: the first period starts on `start`, each next the day after the previous ends, the last ends on `end`. */
function expectGapFree(periods: readonly Period[], start: string, end: string): void {
  expect(periods[0]?.start).toBe(start);
  expect(periods[periods.length - 1]?.end).toBe(end);
  for (let i = 1; i < periods.length; i++) expect([i, periods[i]?.start]).toEqual([i, addDays(periods[i - 1]?.end ?? '', 1)]);
  expect(periods.map((p) => p.no)).toEqual(periods.map((_p, i) => i + 1));
}

function phaseBody(name: string, start: string, end: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name, euraCode: CODE, funder: STM, lead: THL, partners: [DIAK], region: 'Koko Suomi',
    plannedStart: start, plannedEnd: end, budgetCents: 1_500_000_00, reportingPeriodMonths: 6, reportDueDays: 60,
    ownFinancing: { percent: 20, partners: [{ businessId: HAMINA, population: 19_534 }, { businessId: KOTKA, population: 50_500 }] },
    indicators: [{ key: 'networks', title: 'Regional networks taking part', target: 18 }],
    ...extra,
  };
}

// Shared by the steps below, which tell one story in order.
let firstKey: string;
let secondKey: string;
let firstStart: string;
let firstEnd: string;
let secondStart: string;
let secondEnd: string;
let newEnd: string;
let secondPlan: Period[];

describe('Sokra I → Sokra II → extension, through the API on the real stack', () => {
  test('phase I: launched, approved on the funding gate, six half-year periods reported, then closed, rooted and archived; phase II is launched before it ends', async () => {
    firstStart = addDays(isoDate(await ts.env.currentTimeMs()), 10);
    firstEnd = addDays(addMonths(firstStart, 36), -1);
    firstKey = await launch(phaseBody('Sokra-malli I', firstStart, firstEnd));
    await until(firstKey, (d) => d.stage === 'planning', 'planning');
    await fundingApproved(firstKey, 'STM/1/2026');

    const planned = await project(firstKey);
    expect(planned.periods.map(({ no, start, end, dueOn }) => ({ no, start, end, dueOn }))).toEqual(planPeriods(firstStart, firstEnd, 6, 60));
    expectGapFree(planned.periods, firstStart, firstEnd);
    expect(planned.periods).toHaveLength(6);

    // Periods 1–5; an indicator on the way.
    await reportPeriods(firstKey, planned.periods.slice(0, 5), 6);
    await event(firstKey, 'indicator.recorded', { key: 'networks', actual: 12 });

    // During the last period the continuation is applied for: it starts the day after phase I ends.
    secondStart = addDays(firstEnd, 1);
    secondEnd = addDays(addMonths(secondStart, 36), -1);
    secondKey = await launch(phaseBody('Sokra-malli II', secondStart, secondEnd, { predecessor: firstKey }));
    await until(secondKey, (d) => d.stage === 'planning', 'planning');
    const waiting = await fundingApproved(secondKey, 'STM/2/2029');
    // Approved, but implementation waits on its durable timer for the start date.
    expect(waiting.waitingFor).toEqual([`start date ${secondStart}`]);
    expect(waiting.steps.some((s) => s.key.startsWith('period.'))).toBe(false);

    await reportPeriods(firstKey, planned.periods.slice(5), 6);
    const end = await closeAndRoot(firstKey, 'Innokylä');
    expect(end).toMatchObject({ status: 'completed', stage: 'archived', percent: 100, result: { periods: 6, endDate: firstEnd } });
    expect(end.stages.map((s) => [s.key, s.status])).toEqual(
      ['idea', 'planning', 'application', 'decision', 'implementation', 'closing', 'rooting', 'archived'].map((k) => [k, 'done']),
    );

    const done = await project(firstKey);
    expect(done).toMatchObject({ status: 'archived', endDate: firstEnd, predecessor: null, continuation: { workflowId: secondKey } });
    expect(done.retainUntil).not.toBeNull();
    expect(done.periods).toEqual(planned.periods.map((p) => expect.objectContaining({ no: p.no, start: p.start, end: p.end })));
    expect(done.reports.map((r) => r.period)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(done.reports.every((r) => !r.late)).toBe(true);
    expect(done.indicators).toEqual([expect.objectContaining({ key: 'networks', actual: 12 })]);
    expect(done.documents.map((d) => d.kind).sort()).toEqual(['final-payment', 'final-report', 'last-instalment', 'monitoring-form', 'rooting']);
    // The last instalment is what the approved budget leaves after the six reported periods' costs.
    const reportedCosts = done.reports.reduce((sum, r) => sum + r.costsCents, 0);
    expect(done.documents.find((d) => d.kind === 'last-instalment')?.detail).toMatchObject({ amountCents: 1_500_000_00 - reportedCosts });
  }, 60_000);

  test('phase II: GET /api/projects/{code} answers with phase II and the chain back to phase I', async () => {
    const second = await project(CODE);
    expect(second).toMatchObject({
      workflowId: secondKey, euraCode: CODE, startDate: secondStart, endDate: secondEnd, status: 'running',
      predecessor: { workflowId: firstKey, startDate: firstStart, endDate: firstEnd }, continuation: null,
    });
    expect(second.chain.map((c) => [c.workflowId, c.status])).toEqual([[firstKey, 'archived'], [secondKey, 'running']]);
    expectGapFree(second.periods, secondStart, secondEnd);
    expect(second.periods).toHaveLength(6);
    // The durable start timer has fired: phase II runs its first period.
    expect(stepDone(await detail(secondKey), 'period.1', 'running')).toBe(true);
  });

  test('phase II: a change application during implementation extends the end; the unreported periods are re-planned gap-free', async () => {
    const before = await project(secondKey);
    await reportPeriods(secondKey, before.periods.slice(0, 4), before.periods.length);
    const reported = (await project(secondKey)).reports;
    expect(reported.map((r) => r.period)).toEqual([1, 2, 3, 4]);

    // Like Sokra II (to 2023-08-31): the new end falls five months into a half-year period.
    newEnd = addDays(addMonths(secondStart, 36 + 11), -1);
    await event(secondKey, 'change.requested', { newEnd, reference: 'Muutospäätös STM/3/2031' });
    await until(secondKey, (d) => stepDone(d, 'change.1'), 'the change recorded');

    const after = await project(CODE);
    expect(after).toMatchObject({ workflowId: secondKey, endDate: newEnd, plannedEndDate: secondEnd, status: 'running' });
    expectGapFree(after.periods, secondStart, newEnd);
    expect(after.periods).toHaveLength(8);
    // Reported periods and their reports are exactly as they were.
    expect(after.periods.slice(0, 4)).toEqual(before.periods.slice(0, 4));
    expect(after.reports).toEqual(reported);
    secondPlan = after.periods;
  });

  test('phase II runs to its new end and completes', async () => {
    await reportPeriods(secondKey, secondPlan.slice(4), secondPlan.length);
    const end = await closeAndRoot(secondKey, 'Innokylä ja THL:n verkkosivut');
    expect(end).toMatchObject({ status: 'completed', stage: 'archived', percent: 100 });
    expect(end.result).toMatchObject({ periods: 8, endDate: newEnd });

    const second = await project(CODE);
    expect(second).toMatchObject({ workflowId: secondKey, status: 'archived', endDate: newEnd, predecessor: { workflowId: firstKey } });
    expect(second.chain.map((c) => [c.workflowId, c.status])).toEqual([[firstKey, 'archived'], [secondKey, 'archived']]);
    expect(second.periods).toEqual(secondPlan);
    expect(second.reports.map((r) => r.period)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  }, 60_000);

  test('the audit chain over both phases verifies, and each phase’s audit trail matches its Temporal histories', async () => {
    let events = 0;
    for (const id of [firstKey, secondKey]) {
      const trail = await api.request('GET', `/api/workflows/${enc(id)}/audit`, { token: auditor });
      expect(trail.status).toBe(200);
      const actions = (trail.body.items as { action: string }[]).map((i) => i.action);
      expect(actions).toEqual(expect.arrayContaining(['workflow.launched', 'api.decision', 'api.event', 'workflow.completed']));
      events += actions.length;
      // Every tracking write in every run (the phases continued as new at each period boundary) has its audit event.
      const cross = await api.request('GET', `/api/workflows/${enc(id)}/crosscheck`, { token: auditor });
      expect(cross.body).toMatchObject({ workflowId: id, ok: true, missingInAudit: [], missingInHistory: [], inFlight: 0 });
      expect(cross.body.runs).toBeGreaterThan(1);
    }
    const r = await api.request('GET', '/api/audit/verify', { token: auditor });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ ok: true, checked: expect.any(Number), problems: [] });
    expect(r.body.checked).toBeGreaterThanOrEqual(events);
    const forbidden = await api.request('GET', '/api/audit/verify', { token: manager });
    expect(forbidden.status).toBe(403);
  });
});
