/**
 * The centres' state base funding. State aid follows population and area: each centre's weight is
 *
 *   populationWeight · population / Σpopulation + (1 − populationWeight) · area / Σarea
 *
 * and the total (whole cents) is split by those weights with `splitByWeight` (largest remainder),
 * so the cents always sum exactly to the total. A region whose population shrinks loses share.
 *
 * `mergedShares` shows what a consolidation does to the receiving centre's share: absorbed centres
 * bring all their population and area, a carved-out part brings only its own (its party keeps the
 * rest and stays in the list).
 *
 * Pure and deterministic: safe to import from Temporal workflow code.
 */
import { splitByWeight } from './split';

export type FundingCentre = { key: string; population: number; areaKm2: number };
export type FundingOptions = {
  /** Whole cents to split, >= 0. */
  totalCents: number;
  /** 0..1: the part of the weight that follows population; the rest follows area. */
  populationWeight: number;
};
export type FundingShare = {
  key: string;
  /** The centre's weight, 0..1; the shares of all centres sum to 1 (up to floating-point rounding). */
  share: number;
  /** Whole cents; the cents of all centres sum exactly to totalCents. */
  cents: number;
};

export type FundingInput = FundingOptions & { centres: readonly FundingCentre[] };

export type CarveOut = { from: string; population: number; areaKm2: number };
export type MergeSpec = {
  /** The receiving centre, one of the centres before the merge. */
  into: string;
  /** Centres that move whole into `into`; they leave the list. */
  absorbed: readonly string[];
  /** Parts of other centres that move; each party keeps the rest of its population and area. */
  carvedOut?: readonly CarveOut[];
  /** The total after the merge, when the budget changes too; defaults to the total before. */
  totalCentsAfter?: number;
};

export type MergedShares = {
  receiving: {
    key: string;
    before: FundingShare;
    after: FundingShare;
    populationBefore: number;
    populationAfter: number;
    areaKm2Before: number;
    areaKm2After: number;
  };
  /** Every centre's share before the merge, in input order. */
  before: FundingShare[];
  /** Every remaining centre's share after the merge, in input order (absorbed centres removed). */
  after: FundingShare[];
  /** The centres after the merge: the input for the next year's `baseFundingShares`. */
  centresAfter: FundingCentre[];
};

function quote(s: string): string {
  return JSON.stringify(s);
}

function assertAmount(what: string, value: number): void {
  if (!Number.isFinite(value) || value < 0) {
    throw new RangeError(`${what} must be a finite number >= 0, got ${value}`);
  }
}

function assertTotal(what: string, totalCents: number): void {
  if (!Number.isSafeInteger(totalCents) || totalCents < 0) {
    throw new RangeError(`${what} must be a whole number of cents >= 0, got ${totalCents}`);
  }
}

function assertCentres(centres: readonly FundingCentre[]): void {
  if (centres.length === 0) throw new RangeError('no centres given: the base funding needs at least one centre');
  const seen = new Set<string>();
  for (const c of centres) {
    if (c.key.length === 0) throw new RangeError('a centre has an empty key');
    if (seen.has(c.key)) throw new RangeError(`centre ${quote(c.key)} is given twice`);
    seen.add(c.key);
    assertAmount(`population of ${quote(c.key)}`, c.population);
    assertAmount(`area of ${quote(c.key)}`, c.areaKm2);
  }
}

/**
 * Each centre's share of the state base funding, in input order.
 *
 * Throws RangeError on an empty list, a repeated or empty key, a negative or non-finite population
 * or area, a total that is negative or not whole cents, a populationWeight outside 0..1, or when a
 * factor that counts (weight > 0) sums to 0 over all centres (e.g. every population is 0).
 */
export function baseFundingShares(centres: readonly FundingCentre[], opts: FundingOptions): FundingShare[] {
  assertCentres(centres);
  assertTotal('totalCents', opts.totalCents);
  const pw = opts.populationWeight;
  if (!Number.isFinite(pw) || pw < 0 || pw > 1) {
    throw new RangeError(`populationWeight must be between 0 and 1 (the rest is area), got ${pw}`);
  }
  const sumPopulation = centres.reduce((s, c) => s + c.population, 0);
  const sumArea = centres.reduce((s, c) => s + c.areaKm2, 0);
  if (pw > 0 && sumPopulation === 0) {
    throw new RangeError('the centres’ populations sum to 0, so population cannot carry any weight');
  }
  if (pw < 1 && sumArea === 0) {
    throw new RangeError('the centres’ areas sum to 0, so area cannot carry any weight');
  }

  const weights = centres.map((c) => {
    const byPopulation = pw > 0 ? (pw * c.population) / sumPopulation : 0;
    const byArea = pw < 1 ? ((1 - pw) * c.areaKm2) / sumArea : 0;
    return { key: c.key, weight: byPopulation + byArea };
  });
  const cents = splitByWeight(opts.totalCents, weights);
  return weights.map((w, i) => ({ key: w.key, share: w.weight, cents: cents[i]?.cents ?? 0 }));
}

/**
 * The centres after a merge: `into` gains the absorbed centres' population and area and the
 * carved-out parts'; absorbed centres leave the list; a party that gives a carve-out stays with the
 * rest. Input order is kept.
 */
export function applyMerge(centres: readonly FundingCentre[], merge: MergeSpec): FundingCentre[] {
  assertCentres(centres);
  const byKey = new Map(centres.map((c) => [c.key, c]));
  if (!byKey.has(merge.into)) {
    throw new RangeError(`unknown receiving centre ${quote(merge.into)} (centres: ${centres.map((c) => c.key).join(', ')})`);
  }
  const carvedOut = merge.carvedOut ?? [];
  if (merge.absorbed.length === 0 && carvedOut.length === 0) {
    throw new RangeError('nothing to merge: give at least one absorbed centre or one carved-out part');
  }
  const absorbed = new Set<string>();
  for (const key of merge.absorbed) {
    if (!byKey.has(key)) throw new RangeError(`unknown absorbed centre ${quote(key)}`);
    if (key === merge.into) throw new RangeError(`${quote(key)} cannot absorb itself`);
    if (absorbed.has(key)) throw new RangeError(`absorbed centre ${quote(key)} is given twice`);
    absorbed.add(key);
  }
  const carved = new Map<string, { population: number; areaKm2: number }>();
  for (const part of carvedOut) {
    const from = byKey.get(part.from);
    if (!from) throw new RangeError(`unknown centre ${quote(part.from)} to carve a part out of`);
    if (part.from === merge.into) throw new RangeError(`${quote(part.from)} is the receiving centre; it cannot give itself a part`);
    if (absorbed.has(part.from)) {
      throw new RangeError(`${quote(part.from)} is absorbed whole; it cannot also give a carved-out part`);
    }
    assertAmount(`population of the part carved out of ${quote(part.from)}`, part.population);
    assertAmount(`area of the part carved out of ${quote(part.from)}`, part.areaKm2);
    const sum = carved.get(part.from) ?? { population: 0, areaKm2: 0 };
    sum.population += part.population;
    sum.areaKm2 += part.areaKm2;
    if (sum.population > from.population || sum.areaKm2 > from.areaKm2) {
      throw new RangeError(
        `the part carved out of ${quote(part.from)} (population ${sum.population}, area ${sum.areaKm2} km²) is larger than ` +
          `the centre itself (population ${from.population}, area ${from.areaKm2} km²)`,
      );
    }
    carved.set(part.from, sum);
  }

  let gainedPopulation = 0;
  let gainedArea = 0;
  for (const c of centres) {
    if (absorbed.has(c.key)) {
      gainedPopulation += c.population;
      gainedArea += c.areaKm2;
    }
  }
  for (const part of carved.values()) {
    gainedPopulation += part.population;
    gainedArea += part.areaKm2;
  }

  return centres
    .filter((c) => !absorbed.has(c.key))
    .map((c) => {
      if (c.key === merge.into) {
        return { key: c.key, population: c.population + gainedPopulation, areaKm2: c.areaKm2 + gainedArea };
      }
      const part = carved.get(c.key);
      if (part) return { key: c.key, population: c.population - part.population, areaKm2: c.areaKm2 - part.areaKm2 };
      return { ...c };
    });
}

/**
 * Before/after shares of the base funding for a merge (see `applyMerge`). Validates like
 * `baseFundingShares` and `applyMerge` (RangeError with the reason).
 */
export function mergedShares(before: FundingInput, merge: MergeSpec): MergedShares {
  const opts = { totalCents: before.totalCents, populationWeight: before.populationWeight };
  const sharesBefore = baseFundingShares(before.centres, opts);
  if (merge.totalCentsAfter !== undefined) assertTotal('totalCentsAfter', merge.totalCentsAfter);
  const centresAfter = applyMerge(before.centres, merge);
  const sharesAfter = baseFundingShares(centresAfter, {
    totalCents: merge.totalCentsAfter ?? before.totalCents,
    populationWeight: before.populationWeight,
  });

  const receivingBefore = before.centres.find((c) => c.key === merge.into);
  const receivingAfter = centresAfter.find((c) => c.key === merge.into);
  const shareBefore = sharesBefore.find((s) => s.key === merge.into);
  const shareAfter = sharesAfter.find((s) => s.key === merge.into);
  if (!receivingBefore || !receivingAfter || !shareBefore || !shareAfter) {
    throw new Error('unreachable: applyMerge checked the receiving centre');
  }
  return {
    receiving: {
      key: merge.into,
      before: shareBefore,
      after: shareAfter,
      populationBefore: receivingBefore.population,
      populationAfter: receivingAfter.population,
      areaKm2Before: receivingBefore.areaKm2,
      areaKm2After: receivingAfter.areaKm2,
    },
    before: sharesBefore,
    after: sharesAfter,
    centresAfter,
  };
}
