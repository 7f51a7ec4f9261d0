/**
 * The ESR project lifecycle's pure rules, zod-free so the workflow can import them: the own-financing
 * split, the gap-free period plan, re-planning after a change application and the checks on amounts.
 * project.ts re-exports them beside the launch and event schemas.
 */
import { addDays, addMonths } from './calendar-dates';
import type { ProjectInput } from './project';
import { splitByWeight, type SplitShare } from './split';

/** A EURA project code: one capital letter and five digits (S20220). */
export const EURA_CODE_PATTERN = /^[A-Z]\d{5}$/;

export function projectOrganisations(i: Pick<ProjectInput, 'funder' | 'lead' | 'partners'>): string[] {
  return [...new Set([i.funder, i.lead, ...i.partners])];
}

// ---- own financing -------------------------------------------------------------------------------

/** The own-financing total: percent of the budget, rounded half up to the cent (exact integer arithmetic). */
export function ownFinancingTotalCents(budgetCents: number, percent: number): number {
  const basisPoints = BigInt(Math.round(percent * 100));
  const total = (BigInt(budgetCents) * basisPoints * 2n + 10_000n) / 20_000n;
  return Number(total);
}

export type OwnFinancingShare = SplitShare & { population: number | null };
export type OwnFinancingPlan = { totalCents: number; percent: number; shares: OwnFinancingShare[] };

/** The partners' own-financing shares of a budget, by population to the cent, summing exactly to the total. */
export function planOwnFinancing(budgetCents: number, own: NonNullable<ProjectInput['ownFinancing']>): OwnFinancingPlan {
  const totalCents = ownFinancingTotalCents(budgetCents, own.percent);
  const weights = own.partners.map((p) => ({ key: p.businessId, weight: own.partners.length === 1 ? 1 : p.population ?? 0 }));
  const split = splitByWeight(totalCents, weights);
  return {
    totalCents,
    percent: own.percent,
    shares: split.map((s, i) => ({ ...s, population: own.partners[i]?.population ?? null })),
  };
}

// ---- periods -------------------------------------------------------------------------------------

export type ProjectPeriod = { no: number; start: string; end: string; dueOn: string };

/**
 * Payment-application periods as a gap-free chain: the first starts on `start`, each next one the day
 * after the previous ends, the last ends on `end`. Period boundaries follow the calendar from `start`
 * (every `months` months), so a long project does not drift. Numbering continues from `firstNo`.
 */
export function planPeriods(start: string, end: string, months: number, dueDays: number, firstNo = 1): ProjectPeriod[] {
  if (end < start) throw new RangeError(`the end ${end} is before the start ${start}`);
  if (!Number.isInteger(months) || months < 1) throw new RangeError('a period is at least one month long');
  const periods: ProjectPeriod[] = [];
  for (let k = 0; ; k++) {
    const periodStart = addMonths(start, k * months);
    if (periodStart > end) break;
    const nextStart = addMonths(start, (k + 1) * months);
    const periodEnd = addDays(nextStart, -1) < end ? addDays(nextStart, -1) : end;
    periods.push({ no: firstNo + k, start: periodStart, end: periodEnd, dueOn: addDays(periodEnd, dueDays) });
  }
  return periods;
}

export type ChangeRefusal = { path: string; message: string };

/**
 * Re-plans after a change application moves the end date. Reported periods stay exactly as they were;
 * the rest is planned afresh from the day after the last reported period. Refused: a new end in the
 * past (before `today`), or one that would cut into a period already reported.
 */
export function replanPeriods(
  periods: readonly ProjectPeriod[],
  reported: ReadonlySet<number>,
  newEnd: string,
  today: string,
  months: number,
  dueDays: number,
): { ok: true; periods: ProjectPeriod[] } | { ok: false; refusal: ChangeRefusal } {
  if (newEnd < today) return { ok: false, refusal: { path: 'payload.newEnd', message: `must not be in the past (today is ${today})` } };
  const kept: ProjectPeriod[] = [];
  for (const p of periods) {
    if (!reported.has(p.no)) break;
    kept.push(p);
  }
  const lastKept = kept[kept.length - 1];
  if (lastKept && newEnd <= lastKept.end) {
    return { ok: false, refusal: { path: 'payload.newEnd', message: `must be after ${lastKept.end}, the end of period ${lastKept.no}, which is already reported` } };
  }
  const from = lastKept ? addDays(lastKept.end, 1) : periods[0]?.start;
  if (from === undefined) return { ok: false, refusal: { path: 'payload.newEnd', message: 'the project has no periods to re-plan' } };
  if (newEnd < from) return { ok: false, refusal: { path: 'payload.newEnd', message: `must be on or after ${from}` } };
  return { ok: true, periods: [...kept, ...planPeriods(from, newEnd, months, dueDays, kept.length + 1)] };
}

/** Checks a changed budget: positive whole cents, and not below what the reports already claimed. */
export function checkBudgetChange(newBudgetCents: unknown, reportedCostsCents: number): ChangeRefusal | null {
  if (typeof newBudgetCents !== 'number' || !Number.isSafeInteger(newBudgetCents) || newBudgetCents <= 0) {
    return { path: 'payload.budgetCents', message: 'must be whole cents, more than zero' };
  }
  if (newBudgetCents < reportedCostsCents) {
    return { path: 'payload.budgetCents', message: `must be at least the ${reportedCostsCents} cents already reported` };
  }
  return null;
}

/** A funding decision's approved amount: more than zero and at most what was applied for. */
export function checkApprovedAmount(approvedCents: number, appliedCents: number): ChangeRefusal | null {
  if (!Number.isSafeInteger(approvedCents) || approvedCents <= 0) return { path: 'payload.approvedCents', message: 'must be whole cents, more than zero' };
  if (approvedCents > appliedCents) return { path: 'payload.approvedCents', message: `must be at most the ${appliedCents} cents applied for` };
  return null;
}

export const CLOSING_DOCUMENTS = ['final-report', 'monitoring-form', 'final-payment'] as const;
export type ClosingDocument = (typeof CLOSING_DOCUMENTS)[number];
