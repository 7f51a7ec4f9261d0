import { z } from 'zod';
import { validateBusinessId } from './business-id';
import { parseDuration } from './duration';
import { noPeopleHere } from './data-classification';
import { isSealed } from './personal-data';
import { inYearRange, MAX_CENTS, MAX_POPULATION, MAX_SHARES, MAX_YEAR, MIN_YEAR } from './limits';

export { MAX_CENTS, MAX_POPULATION, MAX_SHARES, MAX_YEAR, MIN_YEAR } from './limits';
export { onboardingBusinessKey, shareholdingMergerBusinessKey } from './business-keys';

/** A Finnish business ID, given back in its standard form (trimmed). */
export const businessIdSchema = z.string().transform((value, ctx) => {
  const v = validateBusinessId(value);
  if (!v.ok) {
    ctx.addIssue({ code: 'custom', message: v.reason });
    return z.NEVER;
  }
  return v.value;
}).meta({ format: 'business-id' });

/** Whole cents from 0 (or 1 with `positive`) up to MAX_CENTS. */
export function centsSchema(opts: { positive?: boolean } = {}) {
  const base = z.number().int('must be whole cents');
  return (opts.positive ? base.positive('must be more than zero') : base.min(0, 'must be zero or more'))
    .max(MAX_CENTS, `must be at most ${MAX_CENTS} cents`);
}

export const durationSchema = z.string().refine((s) => {
  const ms = parseDuration(s);
  return ms !== null && ms > 0;
}, 'must be a positive duration such as "30 days", "12 h" or "5 s"').meta({ format: 'duration' });

/** A calendar date as YYYY-MM-DD that exists (no 2023-02-30) and lies in the years PostgreSQL and we agree on. */
export const isoDateSchema = z.iso.date({ message: 'must be a date as YYYY-MM-DD' }).refine((d) => {
  const ms = Date.parse(`${d}T00:00:00Z`);
  // A malformed or impossible date is the format check's to report (zod runs both); this one bounds the year.
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 10) !== d) return true;
  return inYearRange(ms);
}, `must be a real calendar date between ${MIN_YEAR} and ${MAX_YEAR}`);

/** A moment as ISO 8601 with a zone (2023-01-01T12:00:00+02:00 or …Z), in the same range of years. */
export const isoInstantSchema = z.iso
  .datetime({ offset: true, message: 'must be a time with zone, e.g. 2023-01-01T12:00:00Z' })
  .refine((t) => Number.isNaN(Date.parse(t)) || inYearRange(Date.parse(t)), `must lie between the years ${MIN_YEAR} and ${MAX_YEAR}`);

/**
 * Free text a workflow only carries (a comment): the text, or the API's sealed stand-in for it
 * (libs/temporal/personal-data-sealing.ts). Typed as the text, since the workflow never reads it.
 */
export function carriedTextSchema(max: number) {
  return z.union([z.string().max(max), z.custom<string>((v) => isSealed(v), 'must be text')]);
}

/** A document or decision reference: chained in the audit trail as it is, so it must not name people. */
export const referenceSchema = z.string().max(200).describe(noPeopleHere('a document or decision reference, e.g. "Hallitus 3/2026 § 4"'));

export const actorSchema = z.object({ name: z.string().min(1).max(100), role: z.string().min(1).max(40) });

export const decisionSchema = z.object({
  gate: z.string().min(1).max(100),
  party: z.string().min(1).max(100),
  decision: z.enum(['approve', 'reject']),
  /** The deciding body's key where a party decides through a chain of bodies (e.g. "verso-board"). */
  body: z.string().min(1).max(100).optional(),
  comment: z.string().max(2000).optional(),
  reference: referenceSchema.optional(),
});
export type DecisionInput = z.infer<typeof decisionSchema>;

export const workflowEventSchema = z.object({
  type: z.string().regex(/^[a-z]+(\.[a-z]+)+$/, 'must look like "payment.received"'),
  payload: z.record(z.string(), z.unknown()).default({}).describe(
    'The event\'s details, checked against the type\'s schema where it has one. A `note` or `comment` is personal (sealed in '
      + 'Temporal, erasable); other fields reach the workflow as sent, and an erasure of the workflow clears the stored copy.',
  ),
  idempotencyKey: z.string().min(1).max(200),
});
export type WorkflowEventInput = z.infer<typeof workflowEventSchema>;

export const routedEventSchema = workflowEventSchema.extend({ businessKey: z.string().min(1).max(300) });
export type RoutedEventInput = z.infer<typeof routedEventSchema>;

// The workflows put the reason into their failure text and result, which they read: it cannot be sealed.
export const cancelSchema = z.object({
  reason: z.string().trim().min(3).max(2000).describe(noPeopleHere('why the workflow is cancelled')),
});

export const paymentPayloadSchema = z.object({
  amountCents: centsSchema({ positive: true }),
  currency: z.literal('EUR', { message: 'only EUR is accepted' }),
  reference: referenceSchema.optional(),
});

/**
 * Who decides for a body and how many must approve. At launch `members` may be left out: the API then
 * takes every current holder of the body's role from the directory (and passes the list on).
 */
export const approvalPolicySchema = z
  .object({
    quorum: z.number().int('must be a whole number').min(1, 'must be at least 1').max(50),
    members: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{2,39}$/, 'must be a person id'))
      .min(1, 'must name at least one member')
      .max(50)
      .refine((m) => new Set(m).size === m.length, 'names a member twice')
      .optional(),
  })
  .refine((p) => !p.members || p.quorum <= p.members.length, {
    path: ['quorum'], message: 'is larger than the body (more approvals than members)',
  });
export type ApprovalPolicyInput = z.infer<typeof approvalPolicySchema>;

/** A payment recorded by one person counts once another person confirms it (`payment.confirmed`). */
export const paymentConfirmationSchema = z.object({ payment: z.string().min(1).max(200) });

export const APPLICANT_KINDS = ['municipality', 'wellbeing-county', 'uas', 'foundation', 'association'] as const;
export type ApplicantKind = (typeof APPLICANT_KINDS)[number];

export const onboardingInputSchema = z.object({
  company: businessIdSchema,
  applicant: z.object({
    name: z.string().trim().min(2).max(200),
    businessId: businessIdSchema,
    kind: z.string().min(1),
    region: z.string().max(100).optional(),
  }),
  shares: z.number().int('must be a whole number of shares').positive('must be at least 1').max(MAX_SHARES),
  pricePerShareCents: centsSchema(),
  /** The board decides by its members with a quorum (e.g. 3 of 5); without it any manager decides for the company. */
  board: approvalPolicySchema.optional(),
  /** Four eyes on the payment: each payment is recorded by one person and confirmed by another. */
  fourEyes: z.boolean().optional(),
  deadlines: z
    .object({
      boardDecision: durationSchema.optional(),
      subscription: durationSchema.default('30 days'),
      payment: durationSchema.default('30 days'),
      reminders: z.array(durationSchema).max(5).default(['7 days', '1 day']),
    })
    .prefault({}),
}).refine((i) => i.shares * i.pricePerShareCents <= MAX_CENTS, {
  path: ['pricePerShareCents'],
  message: `the subscription price (shares × price per share) must be at most ${MAX_CENTS} cents`,
});
export type OnboardingInput = z.infer<typeof onboardingInputSchema>;

export const shareholdingMergerInputSchema = z
  .object({
    company: businessIdSchema,
    merging: z.array(businessIdSchema).min(1).max(50),
    into: z.object({
      businessId: businessIdSchema,
      name: z.string().trim().min(2).max(200),
      region: z.string().max(100).optional(),
      population: z.number().int().min(0).max(MAX_POPULATION).optional(),
    }),
    effectiveDate: isoDateSchema,
  })
  .refine((i) => new Set(i.merging).size === i.merging.length, { path: ['merging'], message: 'lists a municipality twice' });
export type ShareholdingMergerInput = z.infer<typeof shareholdingMergerInputSchema>;
