import { parseDuration } from './duration';

export type Expiry = { ok: true; value: Date } | { ok: false; reason: string };

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/**
 * When a new token expires: an ISO 8601 date-time with its offset (`2027-06-30T00:00:00Z`) or, where a
 * person types it, a duration from `now` (`90 days`, `12 h`). It must lie after `now`.
 */
export function resolveExpiry(text: string, now: Date, opts: { durations: boolean }): Expiry {
  const trimmed = text.trim();
  let value: Date | null = null;
  if (ISO_DATE_TIME.test(trimmed) && realDate(trimmed) && !Number.isNaN(Date.parse(trimmed))) value = new Date(trimmed);
  else if (opts.durations) {
    const ms = parseDuration(trimmed);
    if (ms !== null && ms > 0) value = new Date(now.getTime() + ms);
  }
  if (!value) {
    return { ok: false, reason: opts.durations
      ? 'must be a date-time with its offset (e.g. 2027-06-30T00:00:00Z) or a duration (e.g. "90 days")'
      : 'must be a date-time with its offset, e.g. 2027-06-30T00:00:00Z' };
  }
  if (value.getTime() <= now.getTime()) return { ok: false, reason: `must be in the future (it is ${value.toISOString()})` };
  return { ok: true, value };
}

/** Date.parse rolls 2027-02-30 over into March: the calendar date written must exist. */
function realDate(text: string): boolean {
  const [y, m, d] = text.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCFullYear() === y && day.getUTCMonth() === m - 1 && day.getUTCDate() === d;
}
