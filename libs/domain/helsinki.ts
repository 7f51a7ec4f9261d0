/**
 * Domain dates are calendar dates in Europe/Helsinki: "due 2026-03-31" lasts until Helsinki's midnight
 * at the end of that day (21:00 or 22:00 UTC), and a date takes effect at Helsinki's midnight at its
 * start. The platform's Intl holds the time-zone rules; this is deterministic for a given Node.js
 * build, so workflows may use it.
 */
const WALL_CLOCK = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/Helsinki', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit',
});
const DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Helsinki', year: 'numeric', month: '2-digit', day: '2-digit' });
const HOUR_MS = 3600 * 1000;

/** The Helsinki calendar date (YYYY-MM-DD) of an instant: 23:30 UTC on 31 March is already 1 April there. */
export function helsinkiDate(instant: string | Date | number): string {
  return DATE.format(instant instanceof Date ? instant : new Date(instant));
}

/** Helsinki's offset from UTC at an instant, in milliseconds (2 h in winter, 3 h in summer). */
function helsinkiOffsetMs(instantMs: number): number {
  const p = Object.fromEntries(WALL_CLOCK.formatToParts(new Date(instantMs)).map((x) => [x.type, x.value]));
  const wall = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return wall - Math.floor(instantMs / 1000) * 1000;
}

/** The instant a Helsinki calendar day begins. */
export function helsinkiDayStartMs(day: string): number {
  const utcMidnight = Date.parse(`${day}T00:00:00Z`);
  // Helsinki changes its clocks at 03:00 or 04:00 local time, never near midnight, so the offset two hours
  // before UTC midnight is the offset at Helsinki's midnight.
  return utcMidnight - helsinkiOffsetMs(utcMidnight - 2 * HOUR_MS);
}

/** The instant a Helsinki calendar day ends (the next day's start): when "due on that day" turns overdue. */
export function helsinkiDayEndMs(day: string): number {
  const next = new Date(Date.parse(`${day}T00:00:00Z`) + 24 * HOUR_MS).toISOString().slice(0, 10);
  return helsinkiDayStartMs(next);
}
