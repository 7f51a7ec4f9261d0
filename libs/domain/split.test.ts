import fc from 'fast-check';
import { splitByWeight, type SplitShare, type SplitWeight } from './split';

function byKey(shares: SplitShare[]): Record<string, number> {
  return Object.fromEntries(shares.map((s) => [s.key, s.cents]));
}

describe('splitByWeight', () => {
  it('splits exactly when the proportions are whole', () => {
    expect(splitByWeight(1000, [{ key: 'a', weight: 1 }, { key: 'b', weight: 3 }])).toEqual([
      { key: 'a', cents: 250 },
      { key: 'b', cents: 750 },
    ]);
  });

  it('gives left-over cents to the largest remainders', () => {
    // exact: 100·1/6 = 16.67, 100·2/6 = 33.33, 100·3/6 = 50 → floors 16 + 33 + 50 = 99, a gets the cent
    expect(splitByWeight(100, [{ key: 'a', weight: 1 }, { key: 'b', weight: 2 }, { key: 'c', weight: 3 }])).toEqual([
      { key: 'a', cents: 17 },
      { key: 'b', cents: 33 },
      { key: 'c', cents: 50 },
    ]);
  });

  it('breaks equal remainders by key order, whatever the input order', () => {
    const expected = { x: 34, y: 33, z: 33 };
    expect(byKey(splitByWeight(100, [{ key: 'x', weight: 1 }, { key: 'y', weight: 1 }, { key: 'z', weight: 1 }]))).toEqual(
      expected,
    );
    expect(byKey(splitByWeight(100, [{ key: 'z', weight: 1 }, { key: 'y', weight: 1 }, { key: 'x', weight: 1 }]))).toEqual(
      expected,
    );
  });

  it('keeps the input order in the result', () => {
    expect(splitByWeight(3, [{ key: 'b', weight: 1 }, { key: 'a', weight: 1 }]).map((s) => s.key)).toEqual(['b', 'a']);
  });

  it('splits an own-financing share between municipalities by population', () => {
    // Populations at 2023-12-31 (DOMAIN.md); EUR 10,000.00 between the six Kymenlaakso municipalities.
    const populations: SplitWeight[] = [
      { key: 'Hamina', weight: 19_534 },
      { key: 'Kotka', weight: 50_500 },
      { key: 'Kouvola', weight: 78_880 },
      { key: 'Miehikkälä', weight: 1_752 },
      { key: 'Pyhtää', weight: 5_065 },
      { key: 'Virolahti', weight: 2_927 },
    ];
    const result = splitByWeight(1_000_000, populations);
    expect(result.reduce((s, r) => s + r.cents, 0)).toBe(1_000_000);
    // Σ = 158,658. Floors sum to 999,998; the two cents left go to the largest remainders,
    // Kotka (318,294.697) and Miehikkälä (11,042.620), ahead of Virolahti (18,448.487).
    expect(byKey(result)).toEqual({
      Hamina: 123_120,
      Kotka: 318_295,
      Kouvola: 497_170,
      Miehikkälä: 11_043,
      Pyhtää: 31_924,
      Virolahti: 18_448,
    });
  });

  it('gives zero-weight keys nothing', () => {
    expect(byKey(splitByWeight(7, [{ key: 'a', weight: 0 }, { key: 'b', weight: 2 }, { key: 'c', weight: 1 }]))).toEqual({
      a: 0,
      b: 5,
      c: 2,
    });
  });

  it('splits 0 and negative totals symmetrically', () => {
    expect(byKey(splitByWeight(0, [{ key: 'a', weight: 1 }, { key: 'b', weight: 2 }]))).toEqual({ a: 0, b: 0 });
    expect(byKey(splitByWeight(-100, [{ key: 'a', weight: 1 }, { key: 'b', weight: 2 }, { key: 'c', weight: 3 }]))).toEqual({
      a: -17,
      b: -33,
      c: -50,
    });
    expect(Object.is(splitByWeight(-1, [{ key: 'a', weight: 0 }, { key: 'b', weight: 1 }])[0]?.cents, 0)).toBe(true);
  });

  it('uses exact arithmetic for fractional weights', () => {
    // As doubles 0.1 + 0.2 != 0.3, so the exact shares are a hair off 100/200/300; the floors are
    // 100, 200 and 299 and the left-over cent goes to c, whose remainder is by far the largest.
    const result = splitByWeight(600, [{ key: 'a', weight: 0.1 }, { key: 'b', weight: 0.2 }, { key: 'c', weight: 0.3 }]);
    expect(byKey(result)).toEqual({ a: 100, b: 200, c: 300 });
  });

  it.each([
    ['a fractional total', 10.5, [{ key: 'a', weight: 1 }]],
    ['an unsafe total', Number.MAX_SAFE_INTEGER + 1, [{ key: 'a', weight: 1 }]],
    ['NaN total', Number.NaN, [{ key: 'a', weight: 1 }]],
    ['no weights', 100, []],
    ['zero total weight', 100, [{ key: 'a', weight: 0 }, { key: 'b', weight: 0 }]],
    ['a negative weight', 100, [{ key: 'a', weight: 2 }, { key: 'b', weight: -1 }]],
    ['an infinite weight', 100, [{ key: 'a', weight: Number.POSITIVE_INFINITY }]],
    ['a NaN weight', 100, [{ key: 'a', weight: Number.NaN }]],
  ] as [string, number, SplitWeight[]][])('throws RangeError on %s', (_name, total, weights) => {
    expect(() => splitByWeight(total, weights)).toThrow(RangeError);
  });

  it('throws TypeError on a repeated key', () => {
    expect(() => splitByWeight(100, [{ key: 'a', weight: 1 }, { key: 'a', weight: 2 }])).toThrow(TypeError);
  });
});

// ---- property tests -------------------------------------------------------------------------

const weightArb = fc.oneof(
  fc.integer({ min: 0, max: 2_000_000 }),
  fc.double({ min: 0, max: 1e6, noNaN: true, noDefaultInfinity: true }),
);

const weightsArb: fc.Arbitrary<SplitWeight[]> = fc
  .uniqueArray(fc.string({ minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 12 })
  .chain((keys) => fc.tuple(...keys.map(() => weightArb)).map((ws) => keys.map((key, i) => ({ key, weight: ws[i] ?? 0 }))))
  .filter((ws) => ws.some((w) => w.weight > 0));

const totalArb = fc.integer({ min: -1_000_000_000, max: 1_000_000_000 });

describe('splitByWeight properties', () => {
  it('sums exactly to the total, in whole cents', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const result = splitByWeight(total, weights);
        expect(result.every((r) => Number.isSafeInteger(r.cents))).toBe(true);
        expect(result.reduce((s, r) => s + r.cents, 0)).toBe(total);
      }),
    );
  });

  it('keeps each share within one cent of its exact proportion', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, (total, weights) => {
        const sum = weights.reduce((s, w) => s + w.weight, 0);
        const result = splitByWeight(total, weights);
        result.forEach((r, i) => {
          const exact = (total * (weights[i]?.weight ?? 0)) / sum;
          // strict bound is < 1; the float reference itself carries a little rounding error
          expect(Math.abs(r.cents - exact)).toBeLessThan(1 + 1e-6 * Math.max(1, Math.abs(total)));
        });
      }),
    );
  });

  it('integer weights: each share is the floor or the ceiling of its exact proportion', () => {
    const intWeights = fc
      .uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 10 })
      .chain((keys) =>
        fc.tuple(...keys.map(() => fc.integer({ min: 0, max: 100_000 }))).map((ws) => keys.map((key, i) => ({ key, weight: ws[i] ?? 0 }))),
      )
      .filter((ws) => ws.some((w) => w.weight > 0));
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10_000_000 }), intWeights, (total, weights) => {
        const sum = BigInt(weights.reduce((s, w) => s + w.weight, 0));
        splitByWeight(total, weights).forEach((r, i) => {
          const product = BigInt(total) * BigInt(weights[i]?.weight ?? 0);
          const floor = product / sum;
          const ceil = product % sum === 0n ? floor : floor + 1n;
          expect([floor, ceil]).toContainEqual(BigInt(r.cents));
        });
      }),
    );
  });

  it('a permutation of the input does not change any key’s share', () => {
    fc.assert(
      fc.property(
        totalArb,
        weightsArb.chain((ws) => fc.tuple(fc.constant(ws), fc.shuffledSubarray(ws, { minLength: ws.length, maxLength: ws.length }))),
        (total, [weights, shuffled]) => {
          expect(byKey(splitByWeight(total, shuffled))).toEqual(byKey(splitByWeight(total, weights)));
        },
      ),
    );
  });

  it('equal weights differ by at most one cent', () => {
    fc.assert(
      fc.property(totalArb, fc.integer({ min: 1, max: 20 }), fc.integer({ min: 1, max: 1000 }), (total, n, w) => {
        const cents = splitByWeight(
          total,
          Array.from({ length: n }, (_, i) => ({ key: `k${String(i).padStart(2, '0')}`, weight: w })),
        ).map((r) => r.cents);
        expect(Math.max(...cents) - Math.min(...cents)).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('scaling all weights by a power of two does not change the result', () => {
    fc.assert(
      fc.property(totalArb, weightsArb, fc.integer({ min: -20, max: 20 }), (total, weights, e) => {
        const scaled = weights.map((w) => ({ key: w.key, weight: w.weight * 2 ** e }));
        fc.pre(scaled.every((w, i) => w.weight / 2 ** e === weights[i]?.weight));
        expect(splitByWeight(total, scaled)).toEqual(splitByWeight(total, weights));
      }),
    );
  });
});
