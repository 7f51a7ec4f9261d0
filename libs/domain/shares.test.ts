import fc from 'fast-check';
import {
  allocateRange,
  checkRegister,
  normaliseRanges,
  rangeSize,
  splitRanges,
  totalShares,
  type ShareRange,
} from './shares';

describe('allocateRange', () => {
  it('allocates count numbers from nextFree', () => {
    expect(allocateRange(1, 10)).toEqual({ first: 1, last: 10 });
    expect(allocateRange(11, 1)).toEqual({ first: 11, last: 11 });
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('throws RangeError for count %p', (count) => {
    expect(() => allocateRange(1, count)).toThrow(RangeError);
  });

  it.each([0, -3, 2.5, Number.NaN])('throws RangeError for nextFree %p', (nextFree) => {
    expect(() => allocateRange(nextFree, 1)).toThrow(RangeError);
  });

  it('refuses numbers beyond the safe integers', () => {
    expect(() => allocateRange(Number.MAX_SAFE_INTEGER, 2)).toThrow(RangeError);
    expect(() => allocateRange(Number.MAX_SAFE_INTEGER - 9, 11)).toThrow(RangeError);
    expect(allocateRange(Number.MAX_SAFE_INTEGER - 9, 10)).toEqual({
      first: Number.MAX_SAFE_INTEGER - 9,
      last: Number.MAX_SAFE_INTEGER,
    });
  });
});

describe('rangeSize and totalShares', () => {
  it('counts inclusively', () => {
    expect(rangeSize({ first: 5, last: 7 })).toBe(3);
    expect(rangeSize({ first: 4, last: 4 })).toBe(1);
    expect(totalShares([{ first: 1, last: 3 }, { first: 10, last: 19 }])).toBe(13);
    expect(totalShares([])).toBe(0);
  });

  it('throws on an invalid range', () => {
    expect(() => rangeSize({ first: 5, last: 4 })).toThrow(RangeError);
    expect(() => rangeSize({ first: 0, last: 4 })).toThrow(RangeError);
  });
});

describe('normaliseRanges', () => {
  it('sorts and joins adjacent ranges', () => {
    expect(normaliseRanges([{ first: 4, last: 6 }, { first: 10, last: 12 }, { first: 1, last: 3 }])).toEqual([
      { first: 1, last: 6 },
      { first: 10, last: 12 },
    ]);
  });

  it('does not change its input', () => {
    const input = [{ first: 4, last: 6 }, { first: 1, last: 3 }];
    normaliseRanges(input);
    expect(input).toEqual([{ first: 4, last: 6 }, { first: 1, last: 3 }]);
  });

  it('throws when a number appears twice', () => {
    expect(() => normaliseRanges([{ first: 1, last: 5 }, { first: 5, last: 6 }])).toThrow(/share 5 appears twice/);
  });
});

describe('splitRanges', () => {
  const holding: ShareRange[] = [{ first: 20, last: 24 }, { first: 1, last: 3 }];

  it('moves the lowest-numbered shares', () => {
    expect(splitRanges(holding, 4)).toEqual({
      moved: [{ first: 1, last: 3 }, { first: 20, last: 20 }],
      kept: [{ first: 21, last: 24 }],
    });
  });

  it('can move nothing or everything', () => {
    expect(splitRanges(holding, 0)).toEqual({ moved: [], kept: [{ first: 1, last: 3 }, { first: 20, last: 24 }] });
    expect(splitRanges(holding, 8)).toEqual({ moved: [{ first: 1, last: 3 }, { first: 20, last: 24 }], kept: [] });
  });

  it('refuses to move more than is held or a fraction', () => {
    expect(() => splitRanges(holding, 9)).toThrow(RangeError);
    expect(() => splitRanges(holding, -1)).toThrow(RangeError);
    expect(() => splitRanges(holding, 1.5)).toThrow(RangeError);
  });
});

describe('checkRegister', () => {
  it('accepts a register that adds up, in any order', () => {
    expect(checkRegister(10, [{ first: 6, last: 10 }, { first: 1, last: 5 }])).toEqual({ ok: true });
    expect(checkRegister(0, [])).toEqual({ ok: true });
  });

  it('detects a share held twice', () => {
    expect(checkRegister(10, [{ first: 1, last: 6 }, { first: 6, last: 9 }])).toEqual({
      ok: false,
      reason: 'share 6 is held twice',
    });
  });

  it('detects a range nested inside another', () => {
    expect(checkRegister(10, [{ first: 1, last: 10 }, { first: 3, last: 4 }])).toEqual({
      ok: false,
      reason: 'share 3 is held twice',
    });
  });

  it('detects numbers outside 1..issued', () => {
    expect(checkRegister(10, [{ first: 1, last: 11 }])).toEqual({ ok: false, reason: 'share 11 is outside 1..10' });
    expect(checkRegister(10, [{ first: 0, last: 10 }]).ok).toBe(false);
  });

  it('detects a gap (held does not add up to issued)', () => {
    expect(checkRegister(10, [{ first: 1, last: 4 }, { first: 6, last: 10 }])).toEqual({
      ok: false,
      reason: 'shares held (9) do not add up to shares issued (10)',
    });
  });

  it('detects malformed ranges and issued counts', () => {
    const bad = checkRegister(10, [{ first: 5, last: 3 }]);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.reason).toMatch(/range 1 \(5\.\.3\) is not valid/);
    expect(checkRegister(1.5, []).ok).toBe(false);
    expect(checkRegister(-1, []).ok).toBe(false);
  });
});

// ---- property tests -------------------------------------------------------------------------

type Register = { issued: number; holders: ShareRange[][] };

/** Replays a sequence of operations: allocate new shares to a holder, or move part of a holding. */
type Op = { kind: 'allocate'; holder: number; count: number } | { kind: 'move'; from: number; to: number; fraction: number };

const HOLDERS = 5;
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({
    kind: fc.constant('allocate' as const),
    holder: fc.integer({ min: 0, max: HOLDERS - 1 }),
    count: fc.integer({ min: 1, max: 1000 }),
  }),
  fc.record({
    kind: fc.constant('move' as const),
    from: fc.integer({ min: 0, max: HOLDERS - 1 }),
    to: fc.integer({ min: 0, max: HOLDERS - 1 }),
    fraction: fc.double({ min: 0, max: 1, noNaN: true }),
  }),
);

function replay(ops: Op[]): Register {
  let issued = 0;
  const holders: ShareRange[][] = Array.from({ length: HOLDERS }, () => []);
  for (const op of ops) {
    if (op.kind === 'allocate') {
      const r = allocateRange(issued + 1, op.count);
      issued = r.last;
      holders[op.holder] = normaliseRanges([...(holders[op.holder] ?? []), r]);
    } else if (op.from !== op.to) {
      const from = holders[op.from] ?? [];
      const count = Math.floor(totalShares(from) * op.fraction);
      const { moved, kept } = splitRanges(from, count);
      holders[op.from] = kept;
      holders[op.to] = normaliseRanges([...(holders[op.to] ?? []), ...moved]);
    }
  }
  return { issued, holders };
}

/** Registers with at least one share issued: the first operation always allocates. */
const registerArb = fc
  .tuple(fc.integer({ min: 1, max: 1000 }), fc.array(opArb, { maxLength: 40 }))
  .map(([firstCount, ops]) => replay([{ kind: 'allocate', holder: 0, count: firstCount }, ...ops]));

describe('share register properties', () => {
  it('random sequences of allocations and transfers keep the register consistent', () => {
    fc.assert(
      fc.property(registerArb, ({ issued, holders }) => {
        expect(checkRegister(issued, holders.flat())).toEqual({ ok: true });
        expect(holders.reduce((s, h) => s + totalShares(h), 0)).toBe(issued);
      }),
    );
  });

  it('consecutive allocations tile 1..n with no gap and no overlap', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 500 }), { minLength: 1, maxLength: 30 }), (counts) => {
        const ranges: ShareRange[] = [];
        let nextFree = 1;
        for (const c of counts) {
          const r = allocateRange(nextFree, c);
          expect(rangeSize(r)).toBe(c);
          ranges.push(r);
          nextFree = r.last + 1;
        }
        const issued = counts.reduce((s, c) => s + c, 0);
        expect(nextFree).toBe(issued + 1);
        expect(checkRegister(issued, ranges)).toEqual({ ok: true });
      }),
    );
  });

  it('a share number added a second time is detected as held twice', () => {
    fc.assert(
      fc.property(registerArb, fc.nat(), fc.nat(), ({ issued, holders }, pick, len) => {
        const n = (pick % issued) + 1;
        const last = Math.min(issued, n + (len % 5));
        // Add one extra share to issued so the totals alone would still add up.
        const extra: ShareRange = { first: n, last };
        const result = checkRegister(issued + rangeSize(extra), [...holders.flat(), extra]);
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.reason).toMatch(/is held twice$/);
      }),
    );
  });

  it('splitting a holding and putting it back gives the same holding', () => {
    fc.assert(
      fc.property(registerArb, fc.double({ min: 0, max: 1, noNaN: true }), ({ holders }, fraction) => {
        const holding = holders.flat();
        const total = totalShares(holding);
        const count = Math.floor(total * fraction);
        const { moved, kept } = splitRanges(holding, count);
        expect(totalShares(moved)).toBe(count);
        expect(totalShares(kept)).toBe(total - count);
        expect(normaliseRanges([...moved, ...kept])).toEqual(normaliseRanges(holding));
        // every moved number is below every kept number
        const maxMoved = Math.max(0, ...moved.map((r) => r.last));
        const minKept = Math.min(Number.POSITIVE_INFINITY, ...kept.map((r) => r.first));
        expect(maxMoved).toBeLessThan(minKept);
      }),
    );
  });
});
