import type { Pool } from 'pg';
import { withTransaction } from '../../libs/db/pool';
import { ProjectRepository, type ProjectRecord } from '../../libs/db/repositories/project.repository';
import { addDays, addMonths, planPeriods, projectBusinessKey, replanPeriods, type ProjectPeriod } from '../../libs/domain/project';
import { DEMO_ORGANISATIONS, THL_BUSINESS_ID } from './demo-data';

/**
 * Sokra (EURA S20220, DOMAIN.md) as historical demo records: Sokra I 2014-10-01–2017-09-30 and its
 * continuation Sokra II 2017-10-01–2020-09-30, extended by change application to 2023-08-31. A live
 * workflow cannot run dates that have passed, so these are written as completed records, the way the
 * lifecycle workflow leaves a project it has archived. Budgets are illustrative (DOMAIN.md gives only
 * the band "over EUR 1,000,000"); the half-year reporting rhythm and 60-day report time are assumed.
 */

function idNamed(fragment: string): string {
  const org = DEMO_ORGANISATIONS.find((o) => o.name.includes(fragment));
  if (!org) throw new Error(`demo data: no organisation named like ${fragment}`);
  return org.businessId;
}

const STM = idNamed('STM');
const DIAK = idNamed('Diak');
const MONTHS = 6;
const DUE_DAYS = 60;

export const SOKRA_I_KEY = projectBusinessKey({ euraCode: 'S20220', name: 'Sokra I', plannedStart: '2014-10-01' });
export const SOKRA_II_KEY = projectBusinessKey({ euraCode: 'S20220', name: 'Sokra II', plannedStart: '2017-10-01' });

type DemoProject = { record: ProjectRecord; periods: ProjectPeriod[]; archivedOn: string; rootedIn: string };

function sokra(name: string, workflowId: string, start: string, plannedEnd: string, end: string, predecessorId: string | null, note: string): ProjectRecord {
  return {
    workflowId, euraCode: 'S20220', name, funderId: STM, leadId: THL_BUSINESS_ID, partnerIds: [DIAK], region: null,
    startDate: start, endDate: end, plannedEndDate: plannedEnd, budgetCents: 1_250_000_00, approvedCents: 1_250_000_00,
    ownFinancing: null, reportingPeriodMonths: MONTHS, predecessorId, status: 'archived', decidedOn: null,
    decisionReference: null, note,
  };
}

function sokraII(): ProjectPeriod[] {
  const original = planPeriods('2017-10-01', '2020-09-30', MONTHS, DUE_DAYS);
  // The extension was applied for during the last original period; periods 1–5 were reported by then.
  const extended = replanPeriods(original, new Set([1, 2, 3, 4, 5]), '2023-08-31', '2020-06-01', MONTHS, DUE_DAYS);
  if (!extended.ok) throw new Error(`demo data: ${extended.refusal.message}`);
  return extended.periods;
}

export const DEMO_PROJECTS: DemoProject[] = [
  {
    record: sokra('Sokra I – sosiaalisen osallisuuden edistämisen koordinaatiohanke', SOKRA_I_KEY, '2014-10-01', '2017-09-30', '2017-09-30', null,
      'ESR priority axis 5, specific objective 10.1; continued as Sokra II.'),
    periods: planPeriods('2014-10-01', '2017-09-30', MONTHS, DUE_DAYS),
    archivedOn: '2018-03-31',
    rootedIn: 'Innokylä',
  },
  {
    record: sokra('Sokra II – sosiaalisen osallisuuden edistämisen koordinaatiohanke', SOKRA_II_KEY, '2017-10-01', '2020-09-30', '2023-08-31', SOKRA_I_KEY,
      'Continuation of Sokra I; extended by change application to 2023-08-31; activity ended.'),
    periods: sokraII(),
    archivedOn: '2024-02-29',
    rootedIn: 'Innokylä',
  },
];

/** Writes the demo projects with every period reported on its due date. Safe to run twice. */
export async function seedDemoProjects(pool: Pool): Promise<{ projects: number }> {
  const projects = new ProjectRepository();
  await withTransaction(pool, async (tx) => {
    for (const p of DEMO_PROJECTS) {
      await projects.upsert(tx, p.record);
      await projects.replacePlan(tx, p.record.workflowId, p.periods);
      for (const period of p.periods) {
        await projects.recordReport(tx, { workflowId: p.record.workflowId, periodNo: period.no, reportedOn: period.dueOn, costsCents: 0, reference: null });
      }
      for (const kind of ['final-report', 'monitoring-form', 'final-payment', 'last-instalment'] as const) {
        await projects.addDocument(tx, p.record.workflowId, { kind, key: kind, recordedOn: p.archivedOn, detail: { demo: true } });
      }
      await projects.addDocument(tx, p.record.workflowId, { kind: 'rooting', key: 'publication', recordedOn: p.archivedOn, detail: { where: p.rootedIn, title: 'Sokra: results and practice descriptions' } });
      await projects.archive(tx, p.record.workflowId, p.archivedOn, addMonths(p.archivedOn, 120));
    }
  });
  return { projects: DEMO_PROJECTS.length };
}

/** The running demo project's fictional EURA code (not a real project). */
export const RUNNING_PROJECT_CODE = 'S30124';

/**
 * A project in implementation with its latest report overdue, dated from `today` (a Helsinki
 * YYYY-MM-DD): it started on the first of the month fifteen months ago and runs three years, reporting
 * every six months with 60 days to report, so period 1 was reported on time and period 2's report
 * (due about a month ago) has not come. FICTIONAL
 * (name, code, budget); Socca leads it, the Häme ELY Centre funds it. Written as project records, like
 * Sokra: a live lifecycle workflow cannot start in the past, so nothing drives it further.
 */
export function runningDemoProject(today: string): DemoProject & { overduePeriod: number } {
  const start = addMonths(`${today.slice(0, 7)}-01`, -15);
  const end = addDays(addMonths(start, 36), -1);
  const periods = planPeriods(start, end, MONTHS, DUE_DAYS);
  const overdue = periods.filter((p) => p.dueOn < today).pop();
  if (!overdue) throw new Error(`demo data: no report of the running project is due by ${today}`);
  const record: ProjectRecord = {
    workflowId: projectBusinessKey({ euraCode: RUNNING_PROJECT_CODE, name: 'Ruotsinkieliset palvelut Itä-Uudellamaalla', plannedStart: start }),
    euraCode: RUNNING_PROJECT_CODE, name: 'Ruotsinkieliset palvelut Itä-Uudellamaalla – kehittämishanke', funderId: idNamed('Hämeen ELY'),
    leadId: idNamed('Socca'), partnerIds: [idNamed('Verso')], region: 'Uusimaa', startDate: start, endDate: end, plannedEndDate: end,
    budgetCents: 480_000_00, approvedCents: 450_000_00, ownFinancing: null, reportingPeriodMonths: MONTHS, predecessorId: null,
    status: 'running', decidedOn: addMonths(start, -2), decisionReference: 'ELY demo 2/§ 4', note: 'Fictional demo project in implementation.',
  };
  return { record, periods, archivedOn: '', rootedIn: '', overduePeriod: overdue.no };
}

/** Writes the running project with every report before the overdue one reported on time. Safe to run twice. */
export async function seedRunningDemoProject(pool: Pool, today: string): Promise<{ workflowId: string; overduePeriod: number }> {
  const p = runningDemoProject(today);
  const projects = new ProjectRepository();
  await withTransaction(pool, async (tx) => {
    await projects.upsert(tx, p.record);
    await projects.replacePlan(tx, p.record.workflowId, p.periods);
    for (const period of p.periods.filter((x) => x.no < p.overduePeriod)) {
      await projects.recordReport(tx, { workflowId: p.record.workflowId, periodNo: period.no, reportedOn: addDays(period.dueOn, -3), costsCents: 95_000_00, reference: null });
    }
  });
  return { workflowId: p.record.workflowId, overduePeriod: p.overduePeriod };
}
