const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000, sec: 1000, second: 1000, seconds: 1000,
  m: 60_000, min: 60_000, minute: 60_000, minutes: 60_000,
  h: 3_600_000, hour: 3_600_000, hours: 3_600_000,
  d: 86_400_000, day: 86_400_000, days: 86_400_000,
};

/** Parses "30 days", "12h", "1.5 s" into milliseconds; null when it is not a duration. */
export function parseDuration(text: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(text);
  if (!m || m[1] === undefined || m[2] === undefined) return null;
  const unit = UNIT_MS[m[2].toLowerCase()];
  if (unit === undefined) return null;
  return Math.round(Number(m[1]) * unit);
}

export const DAY_MS = 86_400_000;

/** The ISO date (YYYY-MM-DD, UTC) of an epoch-millisecond instant. */
export function isoDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The day before an ISO date, as an ISO date. */
export function dayBefore(isoDay: string): string {
  return isoDate(Date.parse(`${isoDay}T00:00:00Z`) - DAY_MS);
}
