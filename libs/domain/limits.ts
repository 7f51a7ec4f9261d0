/**
 * The bounds every amount, count and date here stays within. Zod-free, so workflow code can check
 * against the same figures the API's schemas (schemas.ts) use.
 */

/**
 * The largest amount of money anything here may name: 10^13 cents (100 000 000 000 €). Every amount
 * and every product of amounts stays a safe integer under it and fits the bigint columns.
 */
export const MAX_CENTS = 10_000_000_000_000;
/** Share counts and share numbers are PostgreSQL integers; no register here comes near this. */
export const MAX_SHARES = 1_000_000;
/** More residents than any Finnish municipality or county has (and within an integer column). */
export const MAX_POPULATION = 10_000_000;

/** Dates and times both JavaScript and PostgreSQL read the same way: years 1900 to 9999 (PostgreSQL has no year 0). */
export const MIN_YEAR = 1900;
export const MAX_YEAR = 9999;

/** Whether an epoch-millisecond instant lies in the years MIN_YEAR to MAX_YEAR. */
export function inYearRange(ms: number): boolean {
  if (!Number.isFinite(ms)) return false;
  const year = new Date(ms).getUTCFullYear();
  return year >= MIN_YEAR && year <= MAX_YEAR;
}
