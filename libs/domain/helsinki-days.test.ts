import { helsinkiDate, helsinkiDayEndMs, helsinkiDayStartMs } from './helsinki-time';

const iso = (ms: number) => new Date(ms).toISOString();

describe('Helsinki calendar days', () => {
  test('a winter day runs from 22:00 UTC the evening before to 22:00 UTC', () => {
    expect(iso(helsinkiDayStartMs('2026-01-15'))).toBe('2026-01-14T22:00:00.000Z');
    expect(iso(helsinkiDayEndMs('2026-01-15'))).toBe('2026-01-15T22:00:00.000Z');
  });

  test('a summer day runs from 21:00 UTC', () => {
    expect(iso(helsinkiDayStartMs('2026-07-01'))).toBe('2026-06-30T21:00:00.000Z');
    expect(iso(helsinkiDayEndMs('2026-03-31'))).toBe('2026-03-31T21:00:00.000Z');
  });

  test('the day clocks go forward (last Sunday of March) has 23 hours, the day they go back 25', () => {
    expect(helsinkiDayEndMs('2026-03-29') - helsinkiDayStartMs('2026-03-29')).toBe(23 * 3600_000);
    expect(helsinkiDayEndMs('2026-10-25') - helsinkiDayStartMs('2026-10-25')).toBe(25 * 3600_000);
    expect(iso(helsinkiDayStartMs('2026-03-30'))).toBe('2026-03-29T21:00:00.000Z');
    expect(iso(helsinkiDayStartMs('2026-10-26'))).toBe('2026-10-25T22:00:00.000Z');
  });

  test('the date of an instant is the Helsinki date, across both changes', () => {
    expect(helsinkiDate('2026-03-31T20:59:59Z')).toBe('2026-03-31');
    expect(helsinkiDate('2026-03-31T21:00:00Z')).toBe('2026-04-01');
    expect(helsinkiDate('2026-12-31T22:00:00Z')).toBe('2027-01-01');
    expect(helsinkiDate(Date.parse('2026-10-25T21:59:59Z'))).toBe('2026-10-25');
  });
});
