import { seedDemoData } from '../infra/seed/seed';
import { DAY_MS } from '../libs/domain/duration';
import { addDays, dayStartMs, planPeriods } from '../libs/domain/project';
import { cancelUpdate, decideUpdate, progressQuery } from '../workflows/kit/messages';
import { createTestDatabase, eventually, type TestDatabase } from './support/harness';
import { refusalOf } from './support/refusal';
import { MANAGER, STM, THL, futureProject, sendEvent, startTimeSkipping } from './project-fixtures';
import { helsinkiDayStartMs } from '../libs/domain/helsinki-time';

// Whole projects on Temporal's time-skipping test server: six years of half-year periods in seconds.
const EVENTS_PER_RUN_LIMIT = 300;

let ts: Awaited<ReturnType<typeof startTimeSkipping>>;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  ts = await startTimeSkipping(db.pool);
}, 60_000);

afterAll(async () => {
  await ts?.env.teardown();
  await db?.drop();
});

const withWorker = <T>(fn: (taskQueue: string) => Promise<T>) => ts.withWorker(fn);
const startProject: typeof ts.startProject = (q, i) => ts.startProject(q, i);
const stageReached = (id: string, stage: string) => ts.stageReached(id, stage);
const skipTo = (ms: number) => ts.skipTo(ms);
const throughDecision = (id: string, d: Record<string, unknown>) => ts.throughDecision(id, d);

async function eventsPerRun(workflowId: string, firstRunId: string): Promise<number[]> {
  return (await ts.runs(workflowId, firstRunId)).map((r) => r.history.events?.length ?? 0);
}

test('a six-year project runs from idea to archive in seconds, continuing as new at every period boundary with bounded runs', async () => {
  const outcome = await withWorker(async (taskQueue) => {
    const input = futureProject(await ts.env.currentTimeMs(), { years: 6 });
    const handle = await startProject(taskQueue, input);
    const workflowId = handle.workflowId;
    await throughDecision(workflowId, { decision: 'approve', euraCode: 'S99001', reference: 'STM/123/2027' });
    const periods = planPeriods(input.plannedStart, input.plannedEnd, 6, 60);
    expect(periods).toHaveLength(12);
    for (const p of periods) {
      // Two days after the period ends, well before its report is due.
      await skipTo(dayStartMs(p.end) + 2 * DAY_MS);
      if (p.no === 3) await sendEvent(ts.env.client, workflowId, 'indicator.recorded', { key: 'workshops', actual: 7 });
      await sendEvent(ts.env.client, workflowId, 'report.submitted', { period: p.no, costsCents: 90_000_00 });
    }
    await stageReached(workflowId, 'closing');
    for (const document of ['final-report', 'monitoring-form', 'final-payment']) {
      await sendEvent(ts.env.client, workflowId, 'closing.approved', { document });
    }
    await stageReached(workflowId, 'rooting');
    await sendEvent(ts.env.client, workflowId, 'results.published', { where: 'Innokylä', title: 'Toimintamalli', url: 'https://innokyla.fi/fi/toimintamalli/testi' });
    const result = await ts.env.client.workflow.getHandle(workflowId).result();
    return { result, workflowId, runs: await eventsPerRun(workflowId, handle.firstExecutionRunId), input };
  });

  expect(outcome.result).toMatchObject({ status: 'completed', approvedCents: 1_200_000_00, periods: 12 });
  // One run for idea → first period, one per later period boundary; none near the limit.
  expect(outcome.runs.length).toBeGreaterThanOrEqual(12);
  expect(Math.max(...outcome.runs)).toBeLessThan(EVENTS_PER_RUN_LIMIT);
  expect(outcome.runs.reduce((a, b) => a + b, 0)).toBeGreaterThan(EVENTS_PER_RUN_LIMIT);

  const project = await db.pool.query('SELECT status, eura_code, archived_on::text, retain_until::text FROM projects WHERE workflow_id = $1', [outcome.workflowId]);
  expect(project.rows[0]).toMatchObject({ status: 'archived', eura_code: 'S99001' });
  const periods = await db.pool.query('SELECT period_no, starts_on::text AS s, ends_on::text AS e, reported_on FROM project_periods WHERE workflow_id = $1 ORDER BY period_no', [outcome.workflowId]);
  expect(periods.rows).toHaveLength(12);
  expect(periods.rows.every((r) => r.reported_on !== null)).toBe(true);
  expect(periods.rows[0].s).toBe(outcome.input.plannedStart);
  expect(periods.rows[11].e).toBe(outcome.input.plannedEnd);
  for (let i = 1; i < 12; i++) expect(periods.rows[i].s).toBe(addDays(periods.rows[i - 1].e, 1));
  const docs = await db.pool.query('SELECT kind FROM project_documents WHERE workflow_id = $1 ORDER BY kind', [outcome.workflowId]);
  expect(docs.rows.map((r) => r.kind)).toEqual(['final-payment', 'final-report', 'last-instalment', 'monitoring-form', 'rooting']);
  const run = await db.pool.query('SELECT status, stage, percent FROM process_runs WHERE workflow_id = $1', [outcome.workflowId]);
  expect(run.rows[0]).toEqual({ status: 'completed', stage: 'archived', percent: 100 });
  const indicator = await db.pool.query('SELECT actual FROM project_indicators WHERE workflow_id = $1', [outcome.workflowId]);
  expect(Number(indicator.rows[0].actual)).toBe(7);
}, 240_000);

test('the funder rejects the application: the workflow ends rejected and so does the record', async () => {
  const outcome = await withWorker(async (taskQueue) => {
    const handle = await startProject(taskQueue, futureProject(await ts.env.currentTimeMs()));
    await sendEvent(ts.env.client, handle.workflowId, 'partners.confirmed');
    await sendEvent(ts.env.client, handle.workflowId, 'application.submitted');
    // The decide update is the other way to decide: the funder on gate "funding".
    const notFunder = await refusalOf(handle.executeUpdate(decideUpdate, { args: [{ gate: 'funding', party: THL, decision: 'reject', actor: MANAGER }] }));
    expect(notFunder.type).toBe('NotInGate');
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'funding', party: STM, decision: 'reject', comment: 'the call is over-subscribed', reference: 'STM/7/2027', actor: MANAGER }] });
    return { result: await handle.result(), workflowId: handle.workflowId };
  });
  expect(outcome.result).toEqual({ status: 'rejected', reason: 'the funder rejected the application (STM/7/2027)' });
  const project = await db.pool.query('SELECT status, decision_reference FROM projects WHERE workflow_id = $1', [outcome.workflowId]);
  expect(project.rows[0]).toEqual({ status: 'rejected', decision_reference: 'STM/7/2027' });
  const approval = await db.pool.query('SELECT status, reference FROM approvals WHERE workflow_id = $1 AND gate = $2', [outcome.workflowId, 'funding']);
  expect(approval.rows).toEqual([{ status: 'rejected', reference: 'STM/7/2027' }]);
});

test('a smaller approved amount recomputes the budget and the partners’ own-financing shares', async () => {
  const result = await withWorker(async (taskQueue) => {
    const handle = await startProject(taskQueue, futureProject(await ts.env.currentTimeMs(), { name: 'Pienempi budjetti' }));
    await sendEvent(ts.env.client, handle.workflowId, 'partners.confirmed');
    await sendEvent(ts.env.client, handle.workflowId, 'application.submitted');
    const over = await refusalOf(sendEvent(ts.env.client, handle.workflowId, 'funding.decided', { decision: 'approve', euraCode: 'S99002', approvedCents: 1_300_000_00 }));
    // A client talking to Temporal directly skips the API's schema: the workflow's own guard still refuses.
    const malformed = await refusalOf(sendEvent(ts.env.client, handle.workflowId, 'funding.decided', { decision: 'approve', euraCode: 's99002' }));
    await sendEvent(ts.env.client, handle.workflowId, 'funding.decided', { decision: 'approve', euraCode: 'S99002', approvedCents: 900_000_00 });
    await stageReached(handle.workflowId, 'implementation');
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: MANAGER }] });
    return { over, malformed, workflowId: handle.workflowId, result: await handle.result() };
  });
  expect(result.over.type).toBe('InvalidEventPayload');
  expect(result.malformed.type).toBe('InvalidEventPayload');
  expect(result.malformed.message).toBe('payload.euraCode: must be one capital letter and five digits, e.g. S20220');
  expect(result.over.message).toBe('payload.approvedCents: must be at most the 120000000 cents applied for');
  expect(result.result.status).toBe('cancelled');
  const row = await db.pool.query('SELECT budget_cents, approved_cents, own_financing FROM projects WHERE workflow_id = $1', [result.workflowId]);
  expect(Number(row.rows[0].approved_cents)).toBe(900_000_00);
  expect(Number(row.rows[0].budget_cents)).toBe(900_000_00);
  const own = row.rows[0].own_financing as { totalCents: number; shares: { cents: number }[] };
  expect(own.totalCents).toBe(225_000_00);
  expect(own.shares.reduce((s, x) => s + x.cents, 0)).toBe(225_000_00);
});

test('an unreported period is reminded, then escalated and shown overdue; reports for missing periods are refused', async () => {
  const outcome = await withWorker(async (taskQueue) => {
    const input = futureProject(await ts.env.currentTimeMs(), { name: 'Myöhässä' });
    const handle = await startProject(taskQueue, input);
    await throughDecision(handle.workflowId, { decision: 'approve', euraCode: 'S99003' });
    const [first] = planPeriods(input.plannedStart, input.plannedEnd, 6, 60);
    if (!first) throw new Error('no periods');
    await stageReached(handle.workflowId, 'implementation');
    const missing = await refusalOf(sendEvent(ts.env.client, handle.workflowId, 'report.submitted', { period: 99 }));
    // Two days past the due date: both reminders and the escalation have gone out.
    await skipTo(dayStartMs(first.dueOn) + 2 * DAY_MS);
    const view = await eventually(async () => {
      const v = await handle.query(progressQuery);
      return v.steps.some((s) => s.key === 'report.1.escalated') ? v : undefined;
    });
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: MANAGER }] });
    return { view, missing, workflowId: handle.workflowId, first, nowMs: await ts.env.currentTimeMs() };
  });
  expect(outcome.missing.type).toBe('InvalidEventPayload');
  expect(outcome.missing.details).toEqual([{ path: 'payload.period', message: 'there is no period 99 (the project has periods 1–4)' }]);
  // Overdue: the next deadline shown is the report's due time, which has passed.
  // The deadline shown is the due day in Helsinki (its start); it is overdue once that day has ended.
  expect(outcome.view.nextDeadline).toBe(new Date(helsinkiDayStartMs(outcome.first.dueOn)).toISOString());
  expect(Date.parse(outcome.view.nextDeadline ?? '')).toBeLessThan(outcome.nowMs);
  expect(outcome.view.waitingFor).toContain(`2229500-6: report for period 1 (due ${outcome.first.dueOn})`);
  const notices = await db.pool.query('SELECT step_key, recipient_id FROM notifications WHERE workflow_id = $1 ORDER BY step_key, recipient_id', [outcome.workflowId]);
  expect(notices.rows.map((r) => r.step_key)).toEqual(expect.arrayContaining(['report.1.escalated', 'report.1.reminder.14 days', 'report.1.reminder.3 days']));
  const period = await db.pool.query('SELECT escalated_on FROM project_periods WHERE workflow_id = $1 AND period_no = 1', [outcome.workflowId]);
  expect(period.rows[0].escalated_on).not.toBeNull();
});

test('an extension re-plans the unreported periods gap-free and keeps the reported ones; one into the past is refused', async () => {
  const outcome = await withWorker(async (taskQueue) => {
    const input = futureProject(await ts.env.currentTimeMs(), { name: 'Jatkoaika' });
    const handle = await startProject(taskQueue, input);
    await throughDecision(handle.workflowId, { decision: 'approve', euraCode: 'S99004' });
    const periods = planPeriods(input.plannedStart, input.plannedEnd, 6, 60);
    const second = periods[1];
    if (!second) throw new Error('no second period');
    await skipTo(dayStartMs(periods[0]?.end ?? '') + 2 * DAY_MS);
    await sendEvent(ts.env.client, handle.workflowId, 'report.submitted', { period: 1, costsCents: 100_000_00 });
    const past = await refusalOf(sendEvent(ts.env.client, handle.workflowId, 'change.requested', { newEnd: input.plannedStart }));
    const newEnd = addDays(input.plannedEnd, 365);
    await sendEvent(ts.env.client, handle.workflowId, 'change.requested', { newEnd, reference: 'Muutospäätös 1' });
    const tooSmall = await refusalOf(sendEvent(ts.env.client, handle.workflowId, 'change.requested', { budgetCents: 50_000_00 }));
    await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'test over', actor: MANAGER }] });
    return { input, newEnd, past, tooSmall, workflowId: handle.workflowId, reported: periods[0] };
  });
  expect(outcome.past.details).toEqual([expect.objectContaining({ path: 'payload.newEnd' })]);
  expect(outcome.tooSmall.details).toEqual([{ path: 'payload.budgetCents', message: 'must be at least the 10000000 cents already reported' }]);
  const rows = (await db.pool.query('SELECT period_no, starts_on::text AS s, ends_on::text AS e, reported_on FROM project_periods WHERE workflow_id = $1 ORDER BY period_no', [outcome.workflowId])).rows;
  expect(rows).toHaveLength(6);
  expect(rows[0]).toMatchObject({ s: outcome.reported?.start, e: outcome.reported?.end });
  expect(rows[0].reported_on).not.toBeNull();
  expect(rows[rows.length - 1].e).toBe(outcome.newEnd);
  for (let i = 1; i < rows.length; i++) expect(rows[i].s).toBe(addDays(rows[i - 1].e, 1));
  const project = await db.pool.query('SELECT end_date::text AS e, planned_end_date::text AS p FROM projects WHERE workflow_id = $1', [outcome.workflowId]);
  expect(project.rows[0]).toEqual({ e: outcome.newEnd, p: outcome.input.plannedEnd });
});

