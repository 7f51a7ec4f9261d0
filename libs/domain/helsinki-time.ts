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
