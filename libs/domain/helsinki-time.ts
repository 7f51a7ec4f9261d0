/**
 * Helsinki calendar time for people in Finland. A deadline is a day to them: it is overdue once the
 * Helsinki day it falls on has ended, whatever the hour it was stored at (UTC) and across the DST
 * changes (EET +02:00 / EEST +03:00). Pure: the caller passes `now`, so tests inject the clock.
 */
export const HELSINKI = 'Europe/Helsinki';

const dateParts = new Intl.DateTimeFormat('en-CA', { timeZone: HELSINKI, year: 'numeric', month: '2-digit', day: '2-digit' });

/** The Helsinki calendar date (YYYY-MM-DD) of an instant. */
export function helsinkiDate(at: Date | number | string): string {
  const d = at instanceof Date ? at : new Date(at);
  const part = (type: string) => dateParts.formatToParts(d).find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** Overdue: the Helsinki day of the deadline has ended (it turns at Helsinki midnight, not UTC midnight). */
export function isOverdue(dueAt: string | null | undefined, now: Date | number): boolean {
  if (!dueAt || Number.isNaN(Date.parse(dueAt))) return false;
  return helsinkiDate(now) > helsinkiDate(dueAt);
}

/** The deadline falls on today's Helsinki date (its hour may have passed, but it is not overdue yet). */
export function isDueToday(dueAt: string | null | undefined, now: Date | number): boolean {
  if (!dueAt || Number.isNaN(Date.parse(dueAt))) return false;
  return helsinkiDate(now) === helsinkiDate(dueAt);
}

/** The instant a Helsinki calendar day begins (00:00 EET or EEST): when an effective date takes effect. */
export function helsinkiDayStartMs(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Helsinki is 3 hours ahead in summer time, 2 in winter; the clocks never change at midnight.
  const summer = utcMidnight - 3 * 3_600_000;
  return helsinkiDate(summer) === day ? summer : utcMidnight - 2 * 3_600_000;
}

/** The instant a Helsinki calendar day ends (the next one begins): when "due on that day" turns overdue. */
export function helsinkiDayEndMs(day: string): number {
  return helsinkiDayStartMs(new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
}

/**
 * The instant the Helsinki day of `now` began. A deadline before it is overdue — the same rule as
 * isOverdue, as an instant a query can compare with (and use an index for).
 */
export function helsinkiDayStart(now: Date | number): Date {
  return new Date(helsinkiDayStartMs(helsinkiDate(now)));
}
