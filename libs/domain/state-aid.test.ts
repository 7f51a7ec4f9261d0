import fc from 'fast-check';
import { applyMerge, baseFundingShares, mergedShares, type FundingCentre, type FundingShare } from './state-aid';

function cents(shares: FundingShare[]): Record<string, number> {
  return Object.fromEntries(shares.map((s) => [s.key, s.cents]));
}
function sumCents(shares: FundingShare[]): number {
  return shares.reduce((s, x) => s + x.cents, 0);
}

// A small hand-checked case: ΣP = 1000, ΣA = 400, half population, half area.
// A: 0.5·600/1000 + 0.5·100/400 = 0.300 + 0.125 = 0.425
// B: 0.5·300/1000 + 0.5·100/400 = 0.150 + 0.125 = 0.275
// C: 0.5·100/1000 + 0.5·200/400 = 0.050 + 0.250 = 0.300
const abc: FundingCentre[] = [
  { key: 'A', population: 600, areaKm2: 100 },
  { key: 'B', population: 300, areaKm2: 100 },
  { key: 'C', population: 100, areaKm2: 200 },
];

describe('baseFundingShares', () => {
  it('weighs population and area as told', () => {
    const result = baseFundingShares(abc, { totalCents: 10_000, populationWeight: 0.5 });
    expect(result.map((r) => r.key)).toEqual(['A', 'B', 'C']);
    expect(result[0]?.share).toBeCloseTo(0.425, 12);
    expect(result[1]?.share).toBeCloseTo(0.275, 12);
    expect(result[2]?.share).toBeCloseTo(0.3, 12);
    expect(cents(result)).toEqual({ A: 4250, B: 2750, C: 3000 });
  });

  it('sums exactly to the total, the left-over cent going to the largest remainder', () => {
    // 1001 cents: exact 425.425, 275.275, 300.3 → floors sum to 1000; A's .425 is the largest remainder.
    const result = baseFundingShares(abc, { totalCents: 1001, populationWeight: 0.5 });
    expect(cents(result)).toEqual({ A: 426, B: 275, C: 300 });
    expect(sumCents(result)).toBe(1001);
  });

  it('follows only population at weight 1 and only area at weight 0', () => {
    expect(cents(baseFundingShares(abc, { totalCents: 1000, populationWeight: 1 }))).toEqual({ A: 600, B: 300, C: 100 });
    expect(cents(baseFundingShares(abc, { totalCents: 1000, populationWeight: 0 }))).toEqual({ A: 250, B: 250, C: 500 });
    // a factor without weight may sum to 0
    const noArea = abc.map((c) => ({ ...c, areaKm2: 0 }));
    expect(cents(baseFundingShares(noArea, { totalCents: 1000, populationWeight: 1 }))).toEqual({ A: 600, B: 300, C: 100 });
  });

  it('a region whose population shrinks loses share', () => {
    const before = baseFundingShares(abc, { totalCents: 1_000_000, populationWeight: 0.7 });
    const shrunk = baseFundingShares(
      abc.map((c) => (c.key === 'C' ? { ...c, population: 80 } : c)),
      { totalCents: 1_000_000, populationWeight: 0.7 },
    );
    expect(shrunk[2]?.share).toBeLessThan(before[2]?.share ?? 0);
    expect(shrunk[2]?.cents).toBeLessThan(before[2]?.cents ?? 0);
    expect(sumCents(shrunk)).toBe(1_000_000);
  });

  it('worked example: Socom’s 2009 share of EUR 3.5 million', () => {
    // DOMAIN.md: base funding for all centres in the 2009 state budget EUR 3.5 million; Socom's share
    // about 5.2 %, i.e. EUR 180,570. The population/area inputs below are ILLUSTRATIVE, not official
    // figures: they were chosen so that the arithmetic reproduces that euro amount.
    //   Socom: population 331,710 of 5,250,000 (6.3183 %), area 14,000 of 350,000 km² (4 %)
    //   weight = 0.5 · 331,710/5,250,000 + 0.5 · 14,000/350,000 = 0.0315914… + 0.02 = 0.0515914… (≈ 5.2 %)
    //   cents  = 350,000,000 · 0.0515914… = 18,057,000 → EUR 180,570.00
    const centres: FundingCentre[] = [
      { key: 'Socom', population: 331_710, areaKm2: 14_000 },
      { key: 'other centres', population: 5_250_000 - 331_710, areaKm2: 350_000 - 14_000 },
    ];
    const result = baseFundingShares(centres, { totalCents: 350_000_000, populationWeight: 0.5 });
    expect(cents(result)).toEqual({ Socom: 18_057_000, 'other centres': 331_943_000 });
    expect(result[0]?.share).toBeCloseTo(180_570 / 3_500_000, 12);
    expect(Math.round((result[0]?.share ?? 0) * 1000) / 10).toBe(5.2);
    // the same inputs weighted by population alone: 350,000,000 · 331,710/5,250,000 = 22,114,000
    expect(baseFundingShares(centres, { totalCents: 350_000_000, populationWeight: 1 })[0]?.cents).toBe(22_114_000);
  });

  it.each([
    ['no centres', [], { totalCents: 100, populationWeight: 0.5 }, /no centres/],
    ['a negative population', [{ key: 'A', population: -1, areaKm2: 1 }], { totalCents: 100, populationWeight: 0.5 }, /population of "A"/],
    ['a negative area', [{ key: 'A', population: 1, areaKm2: -5 }], { totalCents: 100, populationWeight: 0.5 }, /area of "A"/],
    ['a NaN population', [{ key: 'A', population: Number.NaN, areaKm2: 1 }], { totalCents: 100, populationWeight: 0.5 }, /population/],
    ['a negative total', abc, { totalCents: -1, populationWeight: 0.5 }, /totalCents/],
    ['a fractional total', abc, { totalCents: 10.5, populationWeight: 0.5 }, /totalCents/],
    ['a weight above 1', abc, { totalCents: 100, populationWeight: 1.01 }, /populationWeight must be between 0 and 1/],
    ['a weight below 0', abc, { totalCents: 100, populationWeight: -0.1 }, /populationWeight/],
    ['a NaN weight', abc, { totalCents: 100, populationWeight: Number.NaN }, /populationWeight/],
    ['a repeated key', [abc[0], abc[0]], { totalCents: 100, populationWeight: 0.5 }, /given twice/],
    ['populations summing to 0', [{ key: 'A', population: 0, areaKm2: 1 }], { totalCents: 100, populationWeight: 0.5 }, /populations sum to 0/],
    ['areas summing to 0', [{ key: 'A', population: 1, areaKm2: 0 }], { totalCents: 100, populationWeight: 0.5 }, /areas sum to 0/],
  ] as [string, FundingCentre[], { totalCents: number; populationWeight: number }, RegExp][])(
    'throws RangeError on %s',
    (_name, centres, opts, message) => {
      expect(() => baseFundingShares(centres, opts)).toThrow(RangeError);
      expect(() => baseFundingShares(centres, opts)).toThrow(message);
    },
  );
});

// Uusimaa 2023 (DOMAIN.md): Sosiaalitaito and the Itä-Uusimaa part of Verso join Socca; the rest of
// Verso (Päijät-Häme) stays. The population and area figures are ILLUSTRATIVE round numbers for the
// arithmetic, not official statistics.
const uusimaa: FundingCentre[] = [
  { key: 'Socca', population: 1_240_000, areaKm2: 770 },
  { key: 'Sosiaalitaito', population: 480_000, areaKm2: 6_500 },
  { key: 'Verso', population: 302_000, areaKm2: 7_900 },
  { key: 'other centres', population: 3_538_000, areaKm2: 288_830 },
];
const versoItaUusimaa = { from: 'Verso', population: 97_000, areaKm2: 2_800 };
const uusimaaMerge = { into: 'Socca', absorbed: ['Sosiaalitaito'], carvedOut: [versoItaUusimaa] };

describe('mergedShares', () => {
  it('a merged centre’s share equals the sum of what it absorbed', () => {
    const result = mergedShares({ centres: abc, totalCents: 10_000, populationWeight: 0.5 }, { into: 'A', absorbed: ['B'] });
    expect(result.receiving.before).toEqual({ key: 'A', share: expect.closeTo(0.425, 12), cents: 4250 });
    expect(result.receiving.after).toEqual({ key: 'A', share: expect.closeTo(0.7, 12), cents: 7000 });
    expect(result.receiving).toMatchObject({ populationBefore: 600, populationAfter: 900, areaKm2Before: 100, areaKm2After: 200 });
    expect(cents(result.after)).toEqual({ A: 7000, C: 3000 });
    expect(result.centresAfter).toEqual([
      { key: 'A', population: 900, areaKm2: 200 },
      { key: 'C', population: 100, areaKm2: 200 },
    ]);
  });

  it('Uusimaa 2023: Socca absorbs Sosiaalitaito and the Itä-Uusimaa part of Verso; Verso keeps the rest', () => {
    const before = { centres: uusimaa, totalCents: 350_000_000, populationWeight: 0.7 };
    const result = mergedShares(before, uusimaaMerge);

    expect(result.centresAfter).toEqual([
      { key: 'Socca', population: 1_240_000 + 480_000 + 97_000, areaKm2: 770 + 6_500 + 2_800 },
      { key: 'Verso', population: 302_000 - 97_000, areaKm2: 7_900 - 2_800 },
      { key: 'other centres', population: 3_538_000, areaKm2: 288_830 },
    ]);
    expect(result.after.map((s) => s.key)).toEqual(['Socca', 'Verso', 'other centres']);
    expect(sumCents(result.before)).toBe(350_000_000);
    expect(sumCents(result.after)).toBe(350_000_000);

    // ΣP = 5,560,000 and ΣA = 304,000 before and after. The carved-out part's own weight:
    const partShare = (0.7 * 97_000) / 5_560_000 + (0.3 * 2_800) / 304_000;
    const shareOf = (list: FundingShare[], key: string) => list.find((s) => s.key === key)?.share ?? Number.NaN;
    const centsOf = (list: FundingShare[], key: string) => list.find((s) => s.key === key)?.cents ?? Number.NaN;
    expect(result.receiving.after.share).toBeCloseTo(shareOf(result.before, 'Socca') + shareOf(result.before, 'Sosiaalitaito') + partShare, 12);
    expect(shareOf(result.after, 'Verso')).toBeCloseTo(shareOf(result.before, 'Verso') - partShare, 12);
    // the centres outside the merge keep their share exactly (to the cent here)
    expect(centsOf(result.after, 'other centres')).toBe(centsOf(result.before, 'other centres'));
    // Hand-computed (exact fractions): Socca after = 0.7·1,817,000/5,560,000 + 0.3·10,070/304,000
    // = 0.228759… + 0.009938… = 0.238696… → 83,543,772.48 cents.
    // Before: Socca 54,906,241.72, Sosiaalitaito 23,396,144.93, Verso 16,036,172.38, others 255,661,440.98;
    // the floors leave 3 cents, to the remainders .98, .93 and .72.
    // After: Socca 83,543,772.48, Verso 10,794,786.54, others 255,661,440.98; 2 cents left, to .98 and .54.
    expect(result.receiving.after.share).toBeCloseTo(0.2386965, 7);
    expect(cents(result.before)).toEqual({ Socca: 54_906_242, Sosiaalitaito: 23_396_145, Verso: 16_036_172, 'other centres': 255_661_441 });
    expect(cents(result.after)).toEqual({ Socca: 83_543_772, Verso: 10_794_787, 'other centres': 255_661_441 });
  });

  it('a carve-out moves only its part: without it Verso is untouched', () => {
    const before = { centres: uusimaa, totalCents: 350_000_000, populationWeight: 0.7 };
    const withoutPart = mergedShares(before, { into: 'Socca', absorbed: ['Sosiaalitaito'] });
    expect(withoutPart.centresAfter.find((c) => c.key === 'Verso')).toEqual({ key: 'Verso', population: 302_000, areaKm2: 7_900 });
    const onlyPart = mergedShares(before, { into: 'Socca', absorbed: [], carvedOut: [versoItaUusimaa] });
    expect(onlyPart.centresAfter.map((c) => c.key)).toEqual(['Socca', 'Sosiaalitaito', 'Verso', 'other centres']);
    expect(onlyPart.centresAfter.find((c) => c.key === 'Sosiaalitaito')).toEqual(uusimaa[1]);
  });

  it('uses a new total when the budget changes', () => {
    const result = mergedShares({ centres: abc, totalCents: 10_000, populationWeight: 0.5 }, { into: 'A', absorbed: ['B'], totalCentsAfter: 20_000 });
    expect(cents(result.before)).toEqual({ A: 4250, B: 2750, C: 3000 });
    expect(cents(result.after)).toEqual({ A: 14_000, C: 6_000 });
  });

  it.each([
    ['an unknown receiving centre', { into: 'X', absorbed: ['B'] }, /unknown receiving centre "X"/],
    ['an unknown absorbed centre', { into: 'A', absorbed: ['X'] }, /unknown absorbed centre "X"/],
    ['nothing to merge', { into: 'A', absorbed: [] }, /nothing to merge/],
    ['absorbing itself', { into: 'A', absorbed: ['A'] }, /cannot absorb itself/],
    ['an absorbed centre twice', { into: 'A', absorbed: ['B', 'B'] }, /given twice/],
    ['a carve-out from an unknown centre', { into: 'A', absorbed: [], carvedOut: [{ from: 'X', population: 1, areaKm2: 1 }] }, /unknown centre "X"/],
    ['a carve-out from the receiver', { into: 'A', absorbed: [], carvedOut: [{ from: 'A', population: 1, areaKm2: 1 }] }, /receiving centre/],
    ['a carve-out from an absorbed centre', { into: 'A', absorbed: ['B'], carvedOut: [{ from: 'B', population: 1, areaKm2: 1 }] }, /absorbed whole/],
    ['a negative carve-out', { into: 'A', absorbed: [], carvedOut: [{ from: 'C', population: -1, areaKm2: 1 }] }, /population of the part/],
    ['a carve-out larger than its party', { into: 'A', absorbed: [], carvedOut: [{ from: 'C', population: 101, areaKm2: 1 }] }, /larger than/],
    [
      'two carve-outs larger together than their party',
      { into: 'A', absorbed: [], carvedOut: [{ from: 'C', population: 60, areaKm2: 1 }, { from: 'C', population: 60, areaKm2: 1 }] },
      /larger than/,
    ],
    ['a negative total after', { into: 'A', absorbed: ['B'], totalCentsAfter: -5 }, /totalCentsAfter/],
  ] as [string, Parameters<typeof mergedShares>[1], RegExp][])('throws RangeError on %s', (_name, merge, message) => {
    const before = { centres: abc, totalCents: 10_000, populationWeight: 0.5 };
    expect(() => mergedShares(before, merge)).toThrow(RangeError);
    expect(() => mergedShares(before, merge)).toThrow(message);
  });
});

// ---- property tests -------------------------------------------------------------------------

const centresArb: fc.Arbitrary<FundingCentre[]> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 10 })
  .chain((keys) =>
    fc
      .tuple(...keys.map(() => fc.tuple(fc.integer({ min: 0, max: 2_000_000 }), fc.integer({ min: 0, max: 100_000 }))))
      .map((values) => keys.map((key, i) => ({ key, population: values[i]?.[0] ?? 0, areaKm2: values[i]?.[1] ?? 0 }))),
  )
  .filter((cs) => cs.some((c) => c.population > 0) && cs.some((c) => c.areaKm2 > 0));

const weightArb = fc.oneof(fc.constantFrom(0, 0.5, 1), fc.double({ min: 0, max: 1, noNaN: true }));
const totalArb = fc.integer({ min: 0, max: 1_000_000_000 });

/** Centres (at least two) with a receiving centre and a non-empty list of absorbed ones. */
const mergeArb = centresArb
  .filter((cs) => cs.length >= 2)
  .chain((cs) =>
    fc.tuple(fc.constant(cs), fc.shuffledSubarray(cs.map((c) => c.key), { minLength: 2 })).map(([centres, [into, ...absorbed]]) => ({
      centres,
      into: into ?? '',
      absorbed,
    })),
  );

describe('state aid properties', () => {
  it('cents sum exactly to the total, shares sum to 1, each within a cent of its exact amount', () => {
    fc.assert(
      fc.property(centresArb, totalArb, weightArb, (centres, totalCents, populationWeight) => {
        const result = baseFundingShares(centres, { totalCents, populationWeight });
        expect(sumCents(result)).toBe(totalCents);
        expect(result.reduce((s, r) => s + r.share, 0)).toBeCloseTo(1, 9);
        for (const r of result) {
          expect(Number.isSafeInteger(r.cents)).toBe(true);
          expect(r.share).toBeGreaterThanOrEqual(0);
          expect(r.share).toBeLessThanOrEqual(1 + 1e-12);
          expect(Math.abs(r.cents - r.share * totalCents)).toBeLessThan(1 + 1e-6);
        }
      }),
    );
  });

  it('a merged centre’s share equals the sum of the shares it absorbed (within a cent), the total unchanged', () => {
    fc.assert(
      fc.property(mergeArb, totalArb, weightArb, ({ centres, into, absorbed }, totalCents, populationWeight) => {
        const r = mergedShares({ centres, totalCents, populationWeight }, { into, absorbed });
        const parts = r.before.filter((s) => s.key === into || absorbed.includes(s.key));
        const partsShare = parts.reduce((s, p) => s + p.share, 0);
        // the exact amounts agree within a cent (in fact to floating-point rounding)
        expect(Math.abs(r.receiving.after.share * totalCents - partsShare * totalCents)).toBeLessThan(0.01);
        // Rounded cents: the merged centre is within 1 cent of its exact amount and each of the n
        // parts was, so they differ by at most n cents; for a merge of two it is at most 1 cent.
        const diff = Math.abs(r.receiving.after.cents - parts.reduce((s, p) => s + p.cents, 0));
        expect(diff).toBeLessThanOrEqual(parts.length === 2 ? 1 : parts.length);
        expect(sumCents(r.after)).toBe(totalCents);
        // centres outside the merge keep their exact share
        for (const s of r.after) {
          if (s.key !== into) expect(s.share).toBeCloseTo(r.before.find((b) => b.key === s.key)?.share ?? Number.NaN, 12);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('a carve-out moves only its part: its party keeps the rest, everyone else is unchanged', () => {
    const carveArb = centresArb
      .filter((cs) => cs.length >= 2)
      .chain((cs) =>
        fc
          .tuple(fc.constant(cs), fc.shuffledSubarray(cs, { minLength: 2, maxLength: 2 }), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 0, max: 1, noNaN: true }))
          .map(([centres, [into, from], p, a]) => ({
            centres,
            into: into?.key ?? '',
            part: { from: from?.key ?? '', population: Math.floor((from?.population ?? 0) * p), areaKm2: Math.floor((from?.areaKm2 ?? 0) * a) },
          })),
      );
    fc.assert(
      fc.property(carveArb, totalArb, weightArb, ({ centres, into, part }, totalCents, populationWeight) => {
        const after = applyMerge(centres, { into, absorbed: [], carvedOut: [part] });
        expect(after.map((c) => c.key)).toEqual(centres.map((c) => c.key));
        for (const c of centres) {
          const now = after.find((x) => x.key === c.key);
          if (c.key === into) expect(now).toEqual({ key: c.key, population: c.population + part.population, areaKm2: c.areaKm2 + part.areaKm2 });
          else if (c.key === part.from) expect(now).toEqual({ key: c.key, population: c.population - part.population, areaKm2: c.areaKm2 - part.areaKm2 });
          else expect(now).toEqual(c);
        }
        const r = mergedShares({ centres, totalCents, populationWeight }, { into, absorbed: [], carvedOut: [part] });
        const share = (list: FundingShare[], key: string) => list.find((s) => s.key === key)?.share ?? Number.NaN;
        // what the receiver gains, the giving party loses
        const gained = share(r.after, into) - share(r.before, into);
        const lost = share(r.before, part.from) - share(r.after, part.from);
        expect(gained).toBeCloseTo(lost, 12);
        expect(gained).toBeGreaterThanOrEqual(-1e-12);
        expect(sumCents(r.after)).toBe(totalCents);
      }),
      { numRuns: 300 },
    );
  });
});
