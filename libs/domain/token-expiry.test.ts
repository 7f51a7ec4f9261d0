import { resolveExpiry } from './token-expiry';

const NOW = new Date('2026-12-03T12:00:00Z');

describe('token expiry', () => {
  test('a date-time with its offset, in the future', () => {
    expect(resolveExpiry('2027-06-30T00:00:00+03:00', NOW, { durations: false })).toEqual({ ok: true, value: new Date('2027-06-29T21:00:00Z') });
  });

  test('a duration counts from now, where durations are allowed', () => {
    expect(resolveExpiry('90 days', NOW, { durations: true })).toEqual({ ok: true, value: new Date('2027-03-03T12:00:00Z') });
    expect(resolveExpiry('90 days', NOW, { durations: false })).toEqual({ ok: false, reason: expect.stringContaining('date-time') });
  });

  test('a time in the past, a date without a time or an offset, and nonsense are refused with the reason', () => {
    expect(resolveExpiry('2026-12-03T11:59:59Z', NOW, { durations: true })).toEqual({ ok: false, reason: expect.stringContaining('in the future') });
    expect(resolveExpiry('2027-06-30', NOW, { durations: false }).ok).toBe(false);
    expect(resolveExpiry('2027-06-30T00:00:00', NOW, { durations: false }).ok).toBe(false);
    expect(resolveExpiry('soon', NOW, { durations: true }).ok).toBe(false);
    expect(resolveExpiry('2027-02-30T00:00:00Z', NOW, { durations: false }).ok).toBe(false);
  });
});
