/**
 * Share numbers in a share register. Shares are numbered 1..issued; a holding is a list of
 * inclusive ranges of share numbers. The register adds up when every number 1..issued is held
 * exactly once: the sizes sum to `issued`, no number is held twice, none lies outside 1..issued.
 *
 * Pure and deterministic: safe to import from Temporal workflow code.
 */

/** An inclusive range of share numbers: { first: 5, last: 7 } is shares 5, 6 and 7. */
export type ShareRange = { first: number; last: number };

export type RegisterCheck = { ok: true } | { ok: false; reason: string };

function isValidRange(r: ShareRange): boolean {
  return Number.isSafeInteger(r.first) && Number.isSafeInteger(r.last) && r.first >= 1 && r.last >= r.first;
}

function describe(r: ShareRange): string {
  return `${r.first}..${r.last}`;
}

function assertRange(r: ShareRange): void {
  if (!isValidRange(r)) {
    throw new RangeError(`not a valid share range: ${describe(r)} (need whole numbers with 1 <= first <= last)`);
  }
}

/**
 * The next `count` share numbers starting at `nextFree`. The caller's next free number afterwards
 * is `result.last + 1`.
 */
export function allocateRange(nextFree: number, count: number): ShareRange {
  if (!Number.isSafeInteger(nextFree) || nextFree < 1) {
    throw new RangeError(`next free share number must be a whole number >= 1, got ${nextFree}`);
  }
  if (!Number.isSafeInteger(count) || count < 1) {
    throw new RangeError(`share count must be a positive whole number, got ${count}`);
  }
  if (count > Number.MAX_SAFE_INTEGER - nextFree + 1) {
    throw new RangeError(`share numbers would exceed ${Number.MAX_SAFE_INTEGER}`);
  }
  return { first: nextFree, last: nextFree + count - 1 };
}

/** How many shares the range holds. Throws RangeError for an invalid range. */
export function rangeSize(r: ShareRange): number {
  assertRange(r);
  return r.last - r.first + 1;
}

/** Total number of shares in the ranges. */
export function totalShares(ranges: readonly ShareRange[]): number {
  let total = 0;
  for (const r of ranges) total += rangeSize(r);
  return total;
}

/**
 * Sorted copy with adjacent ranges joined ({1..3},{4..6} → {1..6}). Throws RangeError when a range
 * is invalid or two ranges share a number (a holding never holds a number twice).
 */
export function normaliseRanges(ranges: readonly ShareRange[]): ShareRange[] {
  ranges.forEach(assertRange);
  const sorted = ranges.map((r) => ({ first: r.first, last: r.last })).sort((a, b) => a.first - b.first);
  const out: ShareRange[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.first <= prev.last) {
      throw new RangeError(`share ${r.first} appears twice (${describe(prev)} and ${describe(r)})`);
    }
    if (prev && r.first === prev.last + 1) {
      prev.last = r.last;
    } else {
      out.push(r);
    }
  }
  return out;
}

/**
 * Splits a holding for a transfer: `moved` gets the `count` lowest-numbered shares, `kept` the
 * rest. Both come back normalised. Throws RangeError when count is not a whole number in
 * 0..total or the holding is invalid.
 */
export function splitRanges(
  ranges: readonly ShareRange[],
  count: number,
): { moved: ShareRange[]; kept: ShareRange[] } {
  const normal = normaliseRanges(ranges);
  const total = totalShares(normal);
  if (!Number.isSafeInteger(count) || count < 0 || count > total) {
    throw new RangeError(`can move a whole number of shares from 0 to ${total}, got ${count}`);
  }
  const moved: ShareRange[] = [];
  const kept: ShareRange[] = [];
  let left = count;
  for (const r of normal) {
    const size = r.last - r.first + 1;
    if (left >= size) {
      moved.push(r);
      left -= size;
    } else if (left > 0) {
      moved.push({ first: r.first, last: r.first + left - 1 });
      kept.push({ first: r.first + left, last: r.last });
      left = 0;
    } else {
      kept.push(r);
    }
  }
  return { moved, kept };
}

/**
 * Checks that the holdings account for exactly the shares 1..issued: every range valid and within
 * 1..issued, no number held twice, and the sizes summing to `issued`.
 */
export function checkRegister(issued: number, holdings: readonly ShareRange[]): RegisterCheck {
  if (!Number.isSafeInteger(issued) || issued < 0) {
    return { ok: false, reason: `shares issued must be a whole number >= 0, got ${issued}` };
  }
  for (let i = 0; i < holdings.length; i++) {
    const r = holdings[i];
    if (!r || !isValidRange(r)) {
      return {
        ok: false,
        reason: `range ${i + 1} (${r ? describe(r) : 'missing'}) is not valid: need whole numbers with 1 <= first <= last`,
      };
    }
    if (r.last > issued) {
      return { ok: false, reason: `share ${r.last} is outside 1..${issued}` };
    }
  }
  const sorted = [...holdings].sort((a, b) => a.first - b.first);
  let maxLast = 0;
  let held = 0;
  for (const r of sorted) {
    if (r.first <= maxLast) {
      return { ok: false, reason: `share ${r.first} is held twice` };
    }
    maxLast = r.last;
    held += r.last - r.first + 1;
  }
  if (held !== issued) {
    return { ok: false, reason: `shares held (${held}) do not add up to shares issued (${issued})` };
  }
  return { ok: true };
}
