/**
 * The event payloads a workflow reads, checked and shaped without zod so the workflow bundle stays small
 * (zod and the schemas cost every cached workflow its share of the worker's memory).
 *
 * The API validates the same payloads with the zod schemas (schemas.ts, project.ts) before it sends an
 * event; these guards are the workflow's own line for a client that talks to Temporal directly. For a
 * payload the schema accepts, a guard gives exactly the schema's output — the same keys in the same order,
 * defaults filled in, strings trimmed where the schema trims, unknown keys dropped — so a workflow that
 * switched from the schema to the guard issues the same commands on replay (event-payloads.test.ts holds
 * the two side by side).
 */
import { isCalendarDate } from './calendar-dates';
import { MAX_CENTS } from './limits';
import { isSealed } from './personal-data';
import { CLOSING_DOCUMENTS, EURA_CODE_PATTERN, type ClosingDocument } from './project-rules';

/** A checked payload, or the first field that is wrong (its path inside the payload) and why. */
export type PayloadCheck<T> = { ok: true; value: T } | { ok: false; path: string; message: string };

type FieldCheck<T> = (v: unknown) => { ok: true; value: T } | { ok: false; message: string };
type Field = { check: FieldCheck<unknown>; optional?: boolean; default?: unknown };

const pass = <T>(value: T) => ({ ok: true as const, value });
const fail = (message: string) => ({ ok: false as const, message });

function isNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

function cents(opts: { positive?: boolean } = {}): FieldCheck<number> {
  return (v) => {
    if (!isNumber(v)) return fail('must be a number of cents');
    if (!Number.isSafeInteger(v)) return fail('must be whole cents');
    if (opts.positive ? v <= 0 : v < 0) return fail(opts.positive ? 'must be more than zero' : 'must be zero or more');
    if (v > MAX_CENTS) return fail(`must be at most ${MAX_CENTS} cents`);
    return pass(v);
  };
}

function wholeNumber(min: number, max: number, message = `must be a whole number from ${min} to ${max}`): FieldCheck<number> {
  return (v) => (isNumber(v) && Number.isSafeInteger(v) && v >= min && v <= max ? pass(v) : fail(message));
}

function zeroOrMore(v: unknown): ReturnType<FieldCheck<number>> {
  return isNumber(v) && v >= 0 ? pass(v) : fail('must be zero or more');
}

/** Text of `min` to `max` characters; `trim`: measured and given back without surrounding white space. */
function text(max: number, opts: { min?: number; trim?: boolean } = {}): FieldCheck<string> {
  const min = opts.min ?? 0;
  return (v) => {
    if (typeof v !== 'string') return fail('must be text');
    const s = opts.trim ? v.trim() : v;
    if (s.length < min) return fail(`must be at least ${min} characters`);
    if (s.length > max) return fail(`must be at most ${max} characters`);
    return pass(s);
  };
}

function literal<T extends string>(values: readonly T[], message = `must be one of ${values.join(', ')}`): FieldCheck<T> {
  return (v) => ((values as readonly unknown[]).includes(v) ? pass(v as T) : fail(message));
}

function calendarDate(v: unknown): ReturnType<FieldCheck<string>> {
  return isCalendarDate(v) ? pass(v) : fail('must be a real calendar date as YYYY-MM-DD');
}

/** An absolute URL, trimmed and without tabs or line breaks (what the URL parser itself ignores), as zod's url() gives it. */
function url(v: unknown): ReturnType<FieldCheck<string>> {
  if (typeof v !== 'string') return fail('must be a URL');
  const trimmed = v.trim();
  try {
    new URL(trimmed);
  } catch {
    return fail('must be a URL');
  }
  return pass(trimmed.replace(/[\t\n\r]/g, ''));
}

/** Free text the workflow only carries: the text, or the API's sealed stand-in for it (personal-data.ts). */
function carriedText(max: number): FieldCheck<string> {
  const plain = text(max);
  return (v) => (isSealed(v) ? pass(v as unknown as string) : plain(v));
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Checks the fields in order; the output holds only the shape's keys, in the shape's order. */
function object<T>(shape: Record<string, Field>): (payload: unknown) => PayloadCheck<T> {
  return (payload) => {
    if (!isRecord(payload)) return { ok: false, path: '', message: 'must be an object' };
    const out: Record<string, unknown> = {};
    for (const [key, field] of Object.entries(shape)) {
      const v = payload[key];
      if (v === undefined) {
        if (field.default !== undefined) out[key] = field.default;
        else if (!field.optional) return { ok: false, path: key, message: 'is required' };
        continue;
      }
      const r = field.check(v);
      if (!r.ok) return { ok: false, path: key, message: r.message };
      out[key] = r.value;
    }
    return { ok: true, value: out as T };
  };
}

const required = (check: FieldCheck<unknown>): Field => ({ check });
const optional = (check: FieldCheck<unknown>): Field => ({ check, optional: true });
const reference = optional(text(200));

// ---- onboarding ----------------------------------------------------------------------------------

export type PaymentPayload = { amountCents: number; currency: 'EUR'; reference?: string };
export const checkPaymentPayload = object<PaymentPayload>({
  amountCents: required(cents({ positive: true })),
  currency: required(literal(['EUR'], 'only EUR is accepted')),
  reference,
});

export type PaymentConfirmation = { payment: string };
export const checkPaymentConfirmation = object<PaymentConfirmation>({ payment: required(text(200, { min: 1 })) });

// ---- project lifecycle ---------------------------------------------------------------------------

export type FundingDecisionPayload = {
  decision: 'approve' | 'reject'; approvedCents?: number; euraCode?: string; reportingPeriodMonths?: number; reference?: string;
  /** The comment, or its sealed stand-in: the workflow only carries it. */
  comment?: string;
};
export const checkFundingDecisionPayload = object<FundingDecisionPayload>({
  decision: required(literal(['approve', 'reject'])),
  approvedCents: optional(cents({ positive: true })),
  euraCode: optional((v) => (typeof v === 'string' && EURA_CODE_PATTERN.test(v) ? pass(v) : fail('must be one capital letter and five digits, e.g. S20220'))),
  reportingPeriodMonths: optional(wholeNumber(1, 24)),
  reference,
  comment: optional(carriedText(2000)),
});

export type ReportPayload = { period: number; costsCents: number; reference?: string };
export const checkReportPayload = object<ReportPayload>({
  period: required(wholeNumber(1, Number.MAX_SAFE_INTEGER, 'must be a period number')),
  costsCents: { check: cents(), default: 0 },
  reference,
});

export type IndicatorPayload = { key: string; actual: number };
export const checkIndicatorPayload = object<IndicatorPayload>({ key: required(text(60, { min: 1 })), actual: required(zeroOrMore) });

export type ChangePayload = { newEnd?: string; budgetCents?: number; reference?: string };
const changeFields = object<ChangePayload>({ newEnd: optional(calendarDate), budgetCents: optional(cents({ positive: true })), reference });
export function checkChangePayload(payload: unknown): PayloadCheck<ChangePayload> {
  const r = changeFields(payload);
  if (r.ok && r.value.newEnd === undefined && r.value.budgetCents === undefined) {
    return { ok: false, path: 'newEnd', message: 'names a new end date (newEnd) or a new budget (budgetCents)' };
  }
  return r;
}

export type ClosingPayload = { document: ClosingDocument; reference?: string };
export const checkClosingPayload = object<ClosingPayload>({ document: required(literal(CLOSING_DOCUMENTS)), reference });

export type RootingPayload = { where: string; title: string; url?: string };
export const checkRootingPayload = object<RootingPayload>({
  where: required(text(500, { min: 2, trim: true })),
  title: required(text(300, { min: 2, trim: true })),
  url: optional(url),
});
