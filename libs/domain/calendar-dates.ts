/**
 * Calendar-date arithmetic on ISO dates (YYYY-MM-DD, counted in UTC so no zone moves a day). Zod-free
 * and deterministic: the workflows import it (project.ts re-exports it for everyone else).
 */
import { DAY_MS, isoDate } from './duration';
import { inYearRange } from './limits';

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

/** Whether a value is a calendar date as YYYY-MM-DD that exists (no 2023-02-30), in the years MIN_YEAR to MAX_YEAR. */
export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = parseDay(value).getTime();
  return !Number.isNaN(ms) && isoDate(ms) === value && inYearRange(ms);
}
