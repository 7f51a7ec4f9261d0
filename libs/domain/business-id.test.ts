import fc from 'fast-check';
import { businessIdCheckDigit, isBusinessId, validateBusinessId } from './business-id';

/** Independent restatement of the rule, for the property tests. */
function referenceCheckDigit(digits: string): number | null {
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const sum = weights.reduce((s, w, i) => s + w * Number(digits[i]), 0);
  const r = sum % 11;
  return r === 0 ? 0 : r === 1 ? null : 11 - r;
}

const sevenDigits = fc.stringMatching(/^[0-9]{7}$/);

describe('businessIdCheckDigit', () => {
  it.each([
    ['2229500', 6],
    ['2077474', 0],
    ['1572860', 0],
    ['1234567', 1],
    ['0737546', 2],
    ['0245437', 2],
  ])('%s → %i', (digits, expected) => {
    expect(businessIdCheckDigit(digits)).toBe(expected);
  });

  it('is null when the remainder is 1 (never issued)', () => {
    // 1·7 + 8·2 = 23 = 2·11 + 1
    expect(businessIdCheckDigit('1000008')).toBeNull();
  });

  it('gives 0 when the remainder is 0', () => {
    expect(businessIdCheckDigit('0000000')).toBe(0);
  });

  it.each(['222950', '22295000', '222950a', '', ' 2229500', '２２２９５００'])('throws on %j', (bad) => {
    expect(() => businessIdCheckDigit(bad)).toThrow(TypeError);
  });

  it('agrees with the rule for any seven digits', () => {
    fc.assert(fc.property(sevenDigits, (d) => businessIdCheckDigit(d) === referenceCheckDigit(d)));
  });

  it('is always a single digit 0..9 (never 10) or null', () => {
    fc.assert(
      fc.property(sevenDigits, (d) => {
        const c = businessIdCheckDigit(d);
        return c === null || (Number.isInteger(c) && c >= 0 && c <= 9);
      }),
    );
  });
});

describe('validateBusinessId', () => {
  it.each(['2229500-6', '2077474-0', '1572860-0', '1234567-1', '0737546-2', '0245437-2'])('accepts %s', (id) => {
    expect(validateBusinessId(id)).toEqual({ ok: true, value: id });
    expect(isBusinessId(id)).toBe(true);
  });

  it('rejects a wrong check digit and says which is right', () => {
    expect(validateBusinessId('2229500-5')).toEqual({ ok: false, reason: 'check digit should be 6' });
    expect(isBusinessId('2229500-5')).toBe(false);
  });

  it.each([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])('rejects 1000008-%i: remainder 1 is never issued', (x) => {
    const id = `1000008-${x}`;
    expect(validateBusinessId(id)).toEqual({ ok: false, reason: 'numbers whose remainder is 1 are never issued' });
    expect(isBusinessId(id)).toBe(false);
  });

  it.each(['2229500', '22295006', '2229500 6', '2229500–6', '222950-6', '22295000-6', '2229500-66', 'abcdefg-h', ''])(
    'rejects the wrong form %j',
    (bad) => {
      expect(validateBusinessId(bad)).toEqual({
        ok: false,
        reason: 'must be seven digits, a hyphen and a check digit (e.g. 2229500-6)',
      });
      expect(isBusinessId(bad)).toBe(false);
    },
  );

  it('rejects a country prefix with a hint', () => {
    const result = validateBusinessId('FI2229500-6');
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.reason).toContain('must be seven digits, a hyphen and a check digit');
      expect(result.reason).toContain('"FI"');
    }
    expect(isBusinessId('FI2229500-6')).toBe(false);
  });

  it('ignores surrounding whitespace but returns the canonical form; isBusinessId stays strict', () => {
    expect(validateBusinessId('  2229500-6\n')).toEqual({ ok: true, value: '2229500-6' });
    expect(isBusinessId('  2229500-6\n')).toBe(false);
  });

  it('isBusinessId is false for non-strings', () => {
    expect(isBusinessId(2229500)).toBe(false);
    expect(isBusinessId(null)).toBe(false);
    expect(isBusinessId(undefined)).toBe(false);
  });

  it('for every issuable number exactly one check digit is valid, and for remainder 1 none is', () => {
    fc.assert(
      fc.property(sevenDigits, (d) => {
        const valid = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].filter((x) => validateBusinessId(`${d}-${x}`).ok);
        const expected = referenceCheckDigit(d);
        return expected === null ? valid.length === 0 : valid.length === 1 && valid[0] === expected;
      }),
    );
  });

  it('a wrong check digit always names the right one', () => {
    fc.assert(
      fc.property(sevenDigits, fc.integer({ min: 0, max: 9 }), (d, x) => {
        const expected = referenceCheckDigit(d);
        fc.pre(expected !== null && expected !== x);
        const result = validateBusinessId(`${d}-${x}`);
        return !result.ok && result.reason === `check digit should be ${expected}`;
      }),
    );
  });
});
