/**
 * Finnish business ID (Y-tunnus): seven digits, a hyphen and a check digit, e.g. 2229500-6.
 *
 * Check digit rule: multiply the seven digits by the weights 7, 9, 10, 5, 8, 4, 2 and sum them;
 * r = sum mod 11. r = 0 gives check digit 0, r = 1 means the number is never issued, otherwise
 * the check digit is 11 − r.
 *
 * Pure and deterministic: safe to import from Temporal workflow code.
 */

const WEIGHTS = [7, 9, 10, 5, 8, 4, 2] as const;
const SEVEN_DIGITS = /^[0-9]{7}$/;
const BUSINESS_ID_FORM = /^([0-9]{7})-([0-9])$/;
const FORM_HINT = 'must be seven digits, a hyphen and a check digit (e.g. 2229500-6)';

export type BusinessIdResult = { ok: true; value: string } | { ok: false; reason: string };

/**
 * The check digit for seven digits, or null when the weighted sum leaves remainder 1
 * (such numbers are never issued). Throws TypeError when the input is not exactly seven digits.
 */
export function businessIdCheckDigit(sevenDigits: string): number | null {
  if (!SEVEN_DIGITS.test(sevenDigits)) {
    throw new TypeError(`expected exactly seven digits, got ${JSON.stringify(sevenDigits)}`);
  }
  let sum = 0;
  for (let i = 0; i < WEIGHTS.length; i++) {
    sum += Number(sevenDigits.charAt(i)) * (WEIGHTS[i] ?? 0);
  }
  const r = sum % 11;
  if (r === 0) return 0;
  if (r === 1) return null;
  return 11 - r;
}

/**
 * Validates a business ID. Surrounding whitespace is ignored; otherwise the form must be exact
 * (no country prefix, no missing hyphen). On success `value` is the canonical form.
 */
export function validateBusinessId(input: string): BusinessIdResult {
  if (typeof input !== 'string') return { ok: false, reason: FORM_HINT };
  const trimmed = input.trim();
  const match = BUSINESS_ID_FORM.exec(trimmed);
  if (!match) {
    if (/^FI/i.test(trimmed)) {
      return { ok: false, reason: `${FORM_HINT}; drop the country prefix "FI"` };
    }
    return { ok: false, reason: FORM_HINT };
  }
  const digits = match[1] ?? '';
  const given = Number(match[2]);
  const expected = businessIdCheckDigit(digits);
  if (expected === null) {
    return { ok: false, reason: 'numbers whose remainder is 1 are never issued' };
  }
  if (expected !== given) {
    return { ok: false, reason: `check digit should be ${expected}` };
  }
  return { ok: true, value: `${digits}-${given}` };
}

/** True when `s` is a valid business ID exactly as written (canonical form, no surrounding space). */
export function isBusinessId(s: unknown): s is string {
  if (typeof s !== 'string') return false;
  const result = validateBusinessId(s);
  return result.ok && result.value === s;
}
