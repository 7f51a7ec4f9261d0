import { z } from 'zod';
import { CLOSING_DOCUMENTS, EURA_CODE_PATTERN } from './project-rules';
import { noPeopleHere } from './data-classification';
import { businessIdSchema, carriedTextSchema, centsSchema, durationSchema, isoDateSchema, MAX_POPULATION, referenceSchema } from './schemas';

export { addDays, addMonths, dayStartMs } from './calendar-dates';
export { projectBusinessKey, projectSlug } from './business-keys';
export {
  CLOSING_DOCUMENTS, EURA_CODE_PATTERN, checkApprovedAmount, checkBudgetChange, ownFinancingTotalCents, planOwnFinancing, planPeriods,
  projectOrganisations, replanPeriods,
  type ChangeRefusal, type ClosingDocument, type OwnFinancingPlan, type OwnFinancingShare, type ProjectPeriod,
} from './project-rules';

/**
 * ESR development projects (kind `project`): the launch input and event payload schemas (zod, for the
 * API), with the pure rules re-exported from project-rules.ts, calendar-dates.ts and business-keys.ts.
 * Workflow code imports those zod-free modules, never this one (the workflow bundle stays without zod).
 */

export const euraCodeSchema = z.string().regex(EURA_CODE_PATTERN, 'must be one capital letter and five digits, e.g. S20220');

const ownFinancingPartnerSchema = z.object({
  businessId: businessIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
  population: z.number().int('must be a whole number of residents').positive('must be more than zero').max(MAX_POPULATION).optional(),
});

const indicatorSchema = z.object({
  key: z.string().regex(/^[a-z0-9][a-z0-9-]{0,59}$/, 'must be lower-case letters, digits and dashes'),
  title: z.string().trim().min(1).max(200).describe(noPeopleHere('what the indicator counts')),
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

// ---- event payloads ------------------------------------------------------------------------------

export const fundingDecisionPayloadSchema = z.object({
  decision: z.enum(['approve', 'reject']),
  /** A smaller amount than applied for; without it the whole budget is approved. */
  approvedCents: centsSchema({ positive: true }).optional(),
  euraCode: euraCodeSchema.optional(),
  reportingPeriodMonths: z.number().int().min(1).max(24).optional(),
  reference: referenceSchema.optional(),
  comment: carriedTextSchema(2000).optional(),
});

/** The funding application's submission: the workflow keeps its reference (the funder's case number). */
export const applicationSubmittedPayloadSchema = z.object({
  reference: referenceSchema.optional(),
});

export const reportPayloadSchema = z.object({
  period: z.number().int('must be a period number').positive('must be a period number'),
  costsCents: centsSchema().default(0),
  reference: referenceSchema.optional(),
});

export const indicatorPayloadSchema = z.object({
  key: z.string().min(1).max(60),
  actual: z.number().nonnegative('must be zero or more'),
});

export const changePayloadSchema = z
  .object({
    newEnd: isoDateSchema.optional(),
    budgetCents: centsSchema({ positive: true }).optional(),
    reference: referenceSchema.optional(),
  })
  .refine((c) => c.newEnd !== undefined || c.budgetCents !== undefined, { message: 'names a new end date (newEnd) or a new budget (budgetCents)', path: ['newEnd'] });

export const closingPayloadSchema = z.object({ document: z.enum(CLOSING_DOCUMENTS), reference: referenceSchema.optional() });

export const rootingPayloadSchema = z.object({
  where: z.string().trim().min(2).max(500),
  title: z.string().trim().min(2).max(300).describe(noPeopleHere('the title of the publication')),
  url: z.url().optional(),
});
