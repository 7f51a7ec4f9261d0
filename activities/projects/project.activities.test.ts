import { ApplicationFailure } from '@temporalio/activity';
import { createProjectActivities } from './project.activities';
import { seedDemoProjects, SOKRA_I_KEY, SOKRA_II_KEY } from '../../infra/seed/demo-projects';
import type { ProjectRecord } from '../../libs/db/repositories/project.repository';
import { planPeriods, replanPeriods } from '../../libs/domain/project';
import { createTestDatabase, type TestDatabase } from '../../test/support/harness';

// Each project activity run twice (as a retry would) writes what one run writes.
let db: TestDatabase;
const WF = 'project:S40001:2030-01-01';
const periods = planPeriods('2030-01-01', '2031-12-31', 6, 60);
const record: ProjectRecord = {
  workflowId: WF, euraCode: 'S40001', name: 'Aktiviteettitesti', funderId: '9100200-0', leadId: '2229500-6', partnerIds: ['9600030-3'],
  region: null, startDate: '2030-01-01', endDate: '2031-12-31', plannedEndDate: '2031-12-31', budgetCents: 100_000_00,
  approvedCents: 100_000_00, ownFinancing: null, reportingPeriodMonths: 6, predecessorId: null, status: 'running',
  decidedOn: '2029-11-01', decisionReference: 'STM/9/2029',
};

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

const count = async (sql: string, params: unknown[]) => Number((await db.pool.query(sql, params)).rows[0].n);

test('the project record, its plan and indicators: the same call twice leaves one of each', async () => {
  const acts = createProjectActivities({ pool: db.pool });
  const call = { project: record, periods, indicators: [{ key: 'workshops', title: 'Workshops', target: 10 }] };
  await acts.recordProject(call);
  await acts.recordProject(call);
  expect(await count('SELECT count(*) AS n FROM projects WHERE workflow_id = $1', [WF])).toBe(1);
  expect(await count('SELECT count(*) AS n FROM project_periods WHERE workflow_id = $1', [WF])).toBe(4);
  expect(await count('SELECT count(*) AS n FROM project_indicators WHERE workflow_id = $1', [WF])).toBe(1);
});

test('a report is recorded once; a re-plan keeps the reported period and drops unreported ones beyond the plan', async () => {
  const acts = createProjectActivities({ pool: db.pool });
  const report = { workflowId: WF, periodNo: 1, reportedOn: '2030-07-15', costsCents: 20_000_00, reference: 'MH 1' };
  expect(await acts.recordPeriodReport(report)).toEqual({ written: true });
  expect(await acts.recordPeriodReport({ ...report, costsCents: 1 })).toEqual({ written: false });
  const shorter = replanPeriods(periods, new Set([1]), '2031-03-31', '2030-08-01', 6, 60);
  if (!shorter.ok) throw new Error(shorter.refusal.message);
  await acts.recordProject({ project: { ...record, endDate: '2031-03-31' }, periods: shorter.periods, indicators: [] });
  const rows = (await db.pool.query('SELECT period_no, ends_on::text AS e, costs_cents FROM project_periods WHERE workflow_id = $1 ORDER BY period_no', [WF])).rows;
  expect(rows.map((r) => r.e)).toEqual(['2030-06-30', '2030-12-31', '2031-03-31']);
  expect(Number(rows[0].costs_cents)).toBe(20_000_00);
});

test('reminders, escalations, documents and the archive are written once', async () => {
  const acts = createProjectActivities({ pool: db.pool });
  const notice = { workflowId: WF, stepKey: 'report.2.escalated', periodNo: 2, recipients: ['2229500-6', '9100200-0'], subject: 's', body: 'b', escalatedOn: '2031-03-02' };
  await acts.noticeReport(notice);
  await acts.noticeReport({ ...notice, escalatedOn: '2031-03-05' });
  expect(await count('SELECT count(*) AS n FROM notifications WHERE workflow_id = $1', [WF])).toBe(2);
  expect((await db.pool.query('SELECT escalated_on::text AS d FROM project_periods WHERE workflow_id = $1 AND period_no = 2', [WF])).rows[0].d).toBe('2031-03-02');
  const doc = { workflowId: WF, kind: 'final-report', key: 'final-report', recordedOn: '2031-05-01', detail: {} };
  expect(await acts.recordProjectDocument(doc)).toEqual({ written: true });
  expect(await acts.recordProjectDocument(doc)).toEqual({ written: false });
  await acts.archiveProject({ workflowId: WF, archivedOn: '2031-06-01', retainUntil: '2041-06-01' });
  await acts.archiveProject({ workflowId: WF, archivedOn: '2031-06-09', retainUntil: '2041-06-09' });
  expect((await db.pool.query('SELECT status, archived_on::text AS a, retain_until::text AS r FROM projects WHERE workflow_id = $1', [WF])).rows[0])
    .toEqual({ status: 'archived', a: '2031-06-01', r: '2041-06-01' });
});

test('a continuation whose predecessor is not recorded fails without retries', async () => {
  const acts = createProjectActivities({ pool: db.pool });
  const err = await acts.recordProject({ project: { ...record, workflowId: 'project:S40001:2032-01-01', predecessorId: 'project:nope:2000-01-01' }, periods: [], indicators: [] })
    .then(() => null, (e: unknown) => e);
  expect(err).toBeInstanceOf(ApplicationFailure);
  expect((err as ApplicationFailure).nonRetryable).toBe(true);
});

test('the demo Sokra records seed twice to the same rows', async () => {
  await seedDemoProjects(db.pool);
  await seedDemoProjects(db.pool);
  const rows = (await db.pool.query('SELECT workflow_id, predecessor_id, end_date::text AS e FROM projects WHERE eura_code = $1 ORDER BY start_date', ['S20220'])).rows;
  expect(rows).toEqual([
    { workflow_id: SOKRA_I_KEY, predecessor_id: null, e: '2017-09-30' },
    { workflow_id: SOKRA_II_KEY, predecessor_id: SOKRA_I_KEY, e: '2023-08-31' },
  ]);
});
