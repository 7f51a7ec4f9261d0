import type { z } from 'zod';
import {
  checkChangePayload, checkClosingPayload, checkFundingDecisionPayload, checkIndicatorPayload, checkPaymentConfirmation,
  checkPaymentPayload, checkReportPayload, checkRootingPayload, type PayloadCheck,
} from './event-payloads';
import { MAX_CENTS } from './limits';
import { SEALED_FORMAT } from './personal-data';
import {
  changePayloadSchema, closingPayloadSchema, fundingDecisionPayloadSchema, indicatorPayloadSchema, reportPayloadSchema,
  rootingPayloadSchema,
} from './project';
import { paymentConfirmationSchema, paymentPayloadSchema } from './schemas';

const sealed = { $sealed: SEALED_FORMAT, kid: 'k1', iv: 'aXY=', ct: 'Y3Q=', tag: 'dGFn' };

type Pair = { name: string; guard: (p: unknown) => PayloadCheck<unknown>; schema: z.ZodType; valid: unknown[]; invalid: unknown[] };

/**
 * The workflows switched from these schemas to the guards: for every payload a schema accepted (and a
 * history may hold) the guard must give the same value, key order included, or a replay would differ.
 */
const PAIRS: Pair[] = [
  {
    name: 'payment', guard: checkPaymentPayload, schema: paymentPayloadSchema,
    valid: [
      { amountCents: 1000, currency: 'EUR' }, { currency: 'EUR', amountCents: 1, reference: 'RF18 5390 0754 7034', extra: true },
      { amountCents: MAX_CENTS, currency: 'EUR', reference: '' },
    ],
    invalid: [
      {}, { amountCents: 1000, currency: 'SEK' }, { amountCents: 0, currency: 'EUR' }, { amountCents: 10.5, currency: 'EUR' },
      { amountCents: '1000', currency: 'EUR' }, { amountCents: MAX_CENTS + 1, currency: 'EUR' }, { amountCents: 5, currency: 'EUR', reference: 'x'.repeat(201) },
      { amountCents: 5, currency: 'EUR', reference: null }, null, [], 'EUR',
    ],
  },
  {
    name: 'payment confirmation', guard: checkPaymentConfirmation, schema: paymentConfirmationSchema,
    valid: [{ payment: 'bank-1' }, { payment: 'p', other: 1 }],
    invalid: [{}, { payment: '' }, { payment: 7 }, { payment: 'x'.repeat(201) }],
  },
  {
    name: 'funding decision', guard: checkFundingDecisionPayload, schema: fundingDecisionPayloadSchema,
    valid: [
      { decision: 'approve' }, { decision: 'reject', comment: 'Ei rahoitusta' }, { comment: sealed, decision: 'approve', euraCode: 'S20220' },
      { decision: 'approve', approvedCents: 120_000_00, euraCode: 'A12345', reportingPeriodMonths: 4, reference: 'ELY 12/2024', comment: sealed, x: 1 },
    ],
    invalid: [
      {}, { decision: 'maybe' }, { decision: 'approve', euraCode: 's20220' }, { decision: 'approve', approvedCents: 0 },
      { decision: 'approve', reportingPeriodMonths: 25 }, { decision: 'approve', reportingPeriodMonths: 1.5 },
      { decision: 'approve', comment: 'x'.repeat(2001) }, { decision: 'approve', comment: { $sealed: 'other' } }, { decision: 'approve', comment: 5 },
    ],
  },
  {
    name: 'report', guard: checkReportPayload, schema: reportPayloadSchema,
    valid: [{ period: 1 }, { period: 3, costsCents: 0 }, { reference: 'r', costsCents: 250_000, period: 12 }],
    invalid: [{}, { period: 0 }, { period: 1.5 }, { period: 1, costsCents: -1 }, { period: 1, costsCents: null }, { period: '1' }],
  },
  {
    name: 'indicator', guard: checkIndicatorPayload, schema: indicatorPayloadSchema,
    valid: [{ key: 'webinars', actual: 0 }, { actual: 12.5, key: 'w' }],
    invalid: [{ key: '', actual: 1 }, { key: 'w', actual: -1 }, { key: 'w' }, { key: 'x'.repeat(61), actual: 1 }, { key: 'w', actual: Number.NaN }],
  },
  {
    name: 'change', guard: checkChangePayload, schema: changePayloadSchema,
    valid: [{ newEnd: '2026-12-31' }, { budgetCents: 5 }, { reference: 'M1', budgetCents: 5, newEnd: '2024-02-29' }],
    invalid: [
      {}, { reference: 'only' }, { newEnd: '2026-02-30' }, { newEnd: '1899-12-31' }, { newEnd: '2026-1-01' }, { newEnd: '2026-12-31T00:00:00Z' },
      { budgetCents: 0 }, { newEnd: '2023-02-29', budgetCents: 5 },
    ],
  },
  {
    name: 'closing', guard: checkClosingPayload, schema: closingPayloadSchema,
    valid: [{ document: 'final-report' }, { document: 'final-payment', reference: 'x' }],
    invalid: [{}, { document: 'report' }, { document: 'monitoring-form', reference: 'x'.repeat(201) }],
  },
  {
    name: 'rooting', guard: checkRootingPayload, schema: rootingPayloadSchema,
    valid: [
      { where: 'Innokylä', title: 'Sokra practices' }, { where: '  Innokylä  ', title: ' Ab ', url: ' https://innokyla.fi/fi/toimintamalli/sokra ' },
      { url: 'https://exa\tmple.org/a\nb', title: 'Title', where: 'There', more: 'dropped' },
    ],
    invalid: [{ where: 'x', title: 'Title' }, { where: '   a  ', title: 'Title' }, { where: 'There', title: 'Title', url: 'not a url' }, { where: 'There', title: 'T'.repeat(301) }],
  },
];

describe.each(PAIRS)('the $name guard agrees with its zod schema', ({ guard, schema, valid, invalid }) => {
  it.each(valid.map((p) => [JSON.stringify(p), p]))('accepts %s as the schema shapes it', (_, payload) => {
    const expected = schema.parse(payload) as Record<string, unknown>;
    const r = guard(payload);
    expect(r).toEqual({ ok: true, value: expected });
    if (r.ok) expect(Object.keys(r.value as object)).toEqual(Object.keys(expected));
  });

  it.each(invalid.map((p) => [JSON.stringify(p), p]))('refuses %s at the field the schema names first', (_, payload) => {
    const z = schema.safeParse(payload);
    expect(z.success).toBe(false);
    const r = guard(payload);
    expect(r.ok).toBe(false);
    if (!r.ok && !z.success) expect(r.path).toBe(z.error.issues[0]?.path.map(String).join('.'));
  });
});

it('gives the sealed comment through as it came: the workflow only carries it', () => {
  const r = checkFundingDecisionPayload({ decision: 'reject', comment: sealed });
  expect(r.ok && r.value.comment).toBe(sealed);
});
