import { z } from 'zod';
import { businessIdSchema, carriedTextSchema, centsSchema, durationSchema, isoDateSchema, MAX_POPULATION } from './schemas';
import { DAY_MS, isoDate } from './duration';
import { splitByWeight, type SplitShare } from './split';

/**
 * ESR development projects (kind `project`): the launch input and the pure rules the lifecycle
 * workflow, its activities and the API share — the own-financing split, the gap-free period plan,
 * re-planning after a change application and the reduced-budget recomputation.
 * Pure and deterministic: safe to import from workflow code.
 */

export const EURA_CODE_PATTERN = /^[A-Z]\d{5}$/;
export const euraCodeSchema = z.string().regex(EURA_CODE_PATTERN, 'must be one capital letter and five digits, e.g. S20220');

const ownFinancingPartnerSchema = z.object({
  businessId: businessIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
  population: z.number().int('must be a whole number of residents').positive('must be more than zero').max(MAX_POPULATION).optional(),
});

const indicatorSchema = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'must be lower-case letters, digits and dashes'),
  title: z.string().trim().min(1).max(200),
  target: z.number().nonnegative('must be zero or more'),
});

export const projectInputSchema = z
  .object({
    name: z.string().trim().min(2).max(200),
    euraCode: euraCodeSchema.optional(),
    funder: businessIdSchema,
    lead: businessIdSchema,
    partners: z.array(businessIdSchema).max(50).default([]),
    region: z.string().trim().max(100).optional(),
    plannedStart: isoDateSchema,
    plannedEnd: isoDateSchema,
    budgetCents: centsSchema({ positive: true }),
    /** The partners' own-financing share of the budget, split between them by population. */
    ownFinancing: z
      .object({
        percent: z.number().gt(0, 'must be more than 0').max(100, 'must be at most 100')
          .refine((p) => Math.abs(p * 100 - Math.round(p * 100)) < 1e-9, 'at most two decimals'),
        partners: z.array(ownFinancingPartnerSchema).min(1).max(200),
      })
      .optional(),
    /** Set by the funding decision; the launch value is the applied-for rhythm. */
    reportingPeriodMonths: z.number().int().min(1).max(24).default(6),
    /** A period's report (payment application) is due this many days after the period ends. */
    reportDueDays: z.number().int().min(0).max(365).default(60),
    reminders: z.array(durationSchema).max(5).default(['14 days', '3 days']),
    indicators: z.array(indicatorSchema).max(50).default([]),
    /** The project this one continues: its EURA code or business key. */
    predecessor: z.string().trim().min(1).max(300).optional(),
    /** How long the closed project's documents are kept (years after archiving). */
    retentionYears: z.number().int().min(1).max(50).default(10),
  })
  .superRefine((i, ctx) => {
    if (i.plannedEnd <= i.plannedStart) {
      ctx.addIssue({ code: 'custom', path: ['plannedEnd'], message: 'must be after plannedStart' });
    }
    if (new Set(i.partners).size !== i.partners.length) {
      ctx.addIssue({ code: 'custom', path: ['partners'], message: 'lists an implementer twice' });
    }
    if (i.partners.includes(i.lead)) {
      ctx.addIssue({ code: 'custom', path: ['partners'], message: 'the lead implementer is not also a partner' });
    }
    const keys = i.indicators.map((x) => x.key);
    if (new Set(keys).size !== keys.length) ctx.addIssue({ code: 'custom', path: ['indicators'], message: 'an indicator key repeats' });
    const own = i.ownFinancing?.partners ?? [];
    if (new Set(own.map((p) => p.businessId)).size !== own.length) {
      ctx.addIssue({ code: 'custom', path: ['ownFinancing', 'partners'], message: 'lists a partner twice' });
    }
    // One partner carries the whole share; between several the split needs every population.
    if (own.length > 1) {
      own.forEach((p, index) => {
        if (p.population === undefined) {
          ctx.addIssue({ code: 'custom', path: ['ownFinancing', 'partners', index, 'population'], message: 'is needed to split the own financing by population' });
        }
      });
    }
  });
export type ProjectInput = z.output<typeof projectInputSchema>;

/** Lower-case ASCII words joined by dashes: "Sokra II" → "sokra-ii". */
export function projectSlug(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'project';
}

/**
 * The workflow id. A continuation phase keeps its EURA code (Sokra I and II are both S20220), so the
 * start date is part of the key: `project:S20220:2017-10-01`. Without a code yet, the name's slug.
 */
export function projectBusinessKey(i: Pick<ProjectInput, 'euraCode' | 'name' | 'plannedStart'>): string {
  return `project:${i.euraCode ?? projectSlug(i.name)}:${i.plannedStart}`;
}

export function projectOrganisations(i: Pick<ProjectInput, 'funder' | 'lead' | 'partners'>): string[] {
  return [...new Set([i.funder, i.lead, ...i.partners])];
}

// ---- dates ---------------------------------------------------------------------------------------

function parseDay(day: string): Date {
  return new Date(`${day}T00:00:00Z`);
}

export function addDays(day: string, days: number): string {
  return isoDate(parseDay(day).getTime() + days * DAY_MS);
}

/** The same day `months` later, clamped to the month's last day (2024-01-31 + 1 month → 2024-02-29). */
export function addMonths(day: string, months: number): string {
  const d = parseDay(day);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + months;
  const lastDay = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  return isoDate(Date.UTC(y, m, Math.min(d.getUTCDate(), lastDay)));
}

/** Midnight UTC at the start of a day, in epoch milliseconds. */
export function dayStartMs(day: string): number {
  return parseDay(day).getTime();
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

// ---- event payloads ------------------------------------------------------------------------------

export const fundingDecisionPayloadSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  /** A smaller amount than applied for; without it the whole budget is approved. */
  approvedCents: centsSchema({ positive: true }).optional(),
  euraCode: euraCodeSchema.optional(),
  reportingPeriodMonths: z.number().int().min(1).max(24).optional(),
  reference: z.string().max(200).optional(),
  comment: carriedTextSchema(2000).optional(),
});

export const reportPayloadSchema = z.object({
  period: z.number().int('must be a period number').positive('must be a period number'),
  costsCents: centsSchema().default(0),
  reference: z.string().max(200).optional(),
});

export const indicatorPayloadSchema = z.object({
  key: z.string().min(1).max(60),
  actual: z.number().nonnegative('must be zero or more'),
});

export const changePayloadSchema = z
  .object({
    newEnd: isoDateSchema.optional(),
    budgetCents: centsSchema({ positive: true }).optional(),
    reference: z.string().max(200).optional(),
  })
  .refine((c) => c.newEnd !== undefined || c.budgetCents !== undefined, { message: 'names a new end date (newEnd) or a new budget (budgetCents)', path: ['newEnd'] });

export const CLOSING_DOCUMENTS = ['final-report', 'monitoring-form', 'final-payment'] as const;
export type ClosingDocument = (typeof CLOSING_DOCUMENTS)[number];
export const closingPayloadSchema = z.object({ document: z.enum(CLOSING_DOCUMENTS), reference: z.string().max(200).optional() });

export const rootingPayloadSchema = z.object({
  where: z.string().trim().min(2).max(500),
  title: z.string().trim().min(2).max(300),
  url: z.url().optional(),
});
