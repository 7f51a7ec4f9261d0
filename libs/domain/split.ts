/**
 * Splitting an amount of money (whole cents) between parties by weight, e.g. the partner
 * municipalities' own-financing share split by population.
 *
 * Largest-remainder method: every party first gets the whole cents of its exact proportion
 * total × weight / Σweights; the cents left over go one each to the parties with the largest
 * remainders. The result is whole cents, sums exactly to the total, and each share is within one
 * cent of its exact proportion.
 *
 * The arithmetic is exact (BigInt over the weights' binary fractions), so no floating-point
 * rounding can move a cent, and the result does not depend on the order of the input: equal
 * remainders are broken by key in code-unit order (plain `<` on strings, not locale-dependent).
 *
 * Pure and deterministic: safe to import from Temporal workflow code.
 */

export type SplitWeight = { key: string; weight: number };
export type SplitShare = { key: string; cents: number };

/** w = n / 2^k exactly, for a finite w >= 0 (doubling a double is exact, so the loop is too). */
function asBinaryFraction(w: number): { n: bigint; k: number } {
  let x = w;
  let k = 0;
  while (!Number.isInteger(x)) {
    x *= 2;
    k++;
  }
  return { n: BigInt(x), k };
}

function compareKeys(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Splits `totalCents` between the keys in proportion to their weights. Results come back in the
 * input order. A negative total is split as its absolute value and negated, so the split is
 * symmetric. Zero weights are allowed (they get 0).
 *
 * Throws RangeError when the total is not a safe integer, there are no weights, a weight is
 * negative or not finite, or the weights sum to 0; TypeError when a key repeats.
 */
export function splitByWeight(totalCents: number, weights: readonly SplitWeight[]): SplitShare[] {
  if (!Number.isSafeInteger(totalCents)) {
    throw new RangeError(`total must be a whole number of cents, got ${totalCents}`);
  }
  if (weights.length === 0) {
    throw new RangeError('nothing to split between: no weights given');
  }
  const seen = new Set<string>();
  for (const { key, weight } of weights) {
    if (seen.has(key)) throw new TypeError(`key ${JSON.stringify(key)} is given twice`);
    seen.add(key);
    if (!Number.isFinite(weight) || weight < 0) {
      throw new RangeError(`weight of ${JSON.stringify(key)} must be a finite number >= 0, got ${weight}`);
    }
  }

  const fractions = weights.map((w) => asBinaryFraction(w.weight));
  const maxK = fractions.reduce((m, f) => Math.max(m, f.k), 0);
  const scaled = fractions.map((f) => f.n << BigInt(maxK - f.k));
  const sumWeights = scaled.reduce((s, x) => s + x, 0n);
  if (sumWeights === 0n) {
    throw new RangeError('the weights must sum to more than 0');
  }

  const negative = totalCents < 0;
  const total = BigInt(Math.abs(totalCents));
  const parts = weights.map((w, i) => {
    const product = total * (scaled[i] ?? 0n);
    return { index: i, key: w.key, cents: product / sumWeights, remainder: product % sumWeights };
  });

  let leftOver = total - parts.reduce((s, p) => s + p.cents, 0n);
  const byRemainder = [...parts].sort((a, b) => {
    if (a.remainder !== b.remainder) return a.remainder > b.remainder ? -1 : 1;
    return compareKeys(a.key, b.key);
  });
  for (const p of byRemainder) {
    if (leftOver === 0n) break;
    p.cents += 1n;
    leftOver -= 1n;
  }

  return parts.map((p) => ({ key: p.key, cents: Number(negative ? -p.cents : p.cents) }));
}
