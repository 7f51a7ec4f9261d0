import { describe, expect, it } from '@jest/globals';
import { helsinkiDate, helsinkiDayStart, isDueToday, isOverdue } from './helsinki-time';

// Finland: EET (+02:00) in winter, EEST (+03:00) from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC.
describe('Helsinki calendar dates', () => {
  it('names the Helsinki date, not the UTC one, around midnight in winter and in summer', () => {
    expect(helsinkiDate('2026-01-14T21:59:59Z')).toBe('2026-01-14');
    expect(helsinkiDate('2026-01-14T22:00:00Z')).toBe('2026-01-15');
    expect(helsinkiDate('2026-07-14T20:59:59Z')).toBe('2026-07-14');
    expect(helsinkiDate('2026-07-14T21:00:00Z')).toBe('2026-07-15');
  });

  it('keeps the date across the spring change (last Sunday of March 2026 = 29 March, 03:00 → 04:00)', () => {
    expect(helsinkiDate('2026-03-29T00:59:59Z')).toBe('2026-03-29'); // 02:59:59 EET
    expect(helsinkiDate('2026-03-29T01:00:00Z')).toBe('2026-03-29'); // 04:00:00 EEST
    expect(helsinkiDate('2026-03-29T20:59:59Z')).toBe('2026-03-29'); // 23:59:59 EEST
    expect(helsinkiDate('2026-03-29T21:00:00Z')).toBe('2026-03-30');
    expect(helsinkiDate('2026-03-28T21:59:59Z')).toBe('2026-03-28'); // the night before: still +02:00
    expect(helsinkiDate('2026-03-28T22:00:00Z')).toBe('2026-03-29');
  });

  it('keeps the date across the autumn change (last Sunday of October 2026 = 25 October, 04:00 → 03:00)', () => {
    expect(helsinkiDate('2026-10-24T20:59:59Z')).toBe('2026-10-24'); // 23:59:59 EEST
    expect(helsinkiDate('2026-10-24T21:00:00Z')).toBe('2026-10-25');
    expect(helsinkiDate('2026-10-25T00:30:00Z')).toBe('2026-10-25'); // 03:30 EEST
    expect(helsinkiDate('2026-10-25T01:30:00Z')).toBe('2026-10-25'); // 03:30 EET, the hour repeated
    expect(helsinkiDate('2026-10-25T21:59:59Z')).toBe('2026-10-25'); // 23:59:59 EET
    expect(helsinkiDate('2026-10-25T22:00:00Z')).toBe('2026-10-26');
  });
});

describe('overdue turns at Helsinki midnight (injected clock)', () => {
  it('a deadline on the day of the spring change is overdue from 00:00 EEST on Monday (21:00 UTC), not from UTC midnight', () => {
    const due = '2026-03-29T09:00:00Z'; // 12:00 EEST on Sunday 29 March
    expect(isOverdue(due, Date.parse('2026-03-29T15:00:00Z'))).toBe(false);
    expect(isDueToday(due, Date.parse('2026-03-29T15:00:00Z'))).toBe(true);
    expect(isOverdue(due, Date.parse('2026-03-29T20:59:59Z'))).toBe(false);
    expect(isOverdue(due, Date.parse('2026-03-29T21:00:00Z'))).toBe(true);
    expect(isDueToday(due, Date.parse('2026-03-29T21:00:00Z'))).toBe(false);
  });

  it('a deadline on the Saturday before the spring change turns at 22:00 UTC (00:00 EET)', () => {
    const due = '2026-03-28T10:00:00Z';
    expect(isOverdue(due, Date.parse('2026-03-28T21:59:59Z'))).toBe(false);
    expect(isOverdue(due, Date.parse('2026-03-28T22:00:00Z'))).toBe(true);
  });

  it('a deadline on the day of the autumn change is overdue from 00:00 EET on Monday (22:00 UTC)', () => {
    const due = '2026-10-25T00:30:00Z'; // 03:30 EEST, before the clocks go back
    expect(isOverdue(due, Date.parse('2026-10-25T21:00:00Z'))).toBe(false); // 23:00 EET: still Sunday
    expect(isOverdue(due, Date.parse('2026-10-25T21:59:59Z'))).toBe(false);
    expect(isOverdue(due, Date.parse('2026-10-25T22:00:00Z'))).toBe(true);
  });

  it('a deadline stored at UTC midnight belongs to the Helsinki day it falls on (02:00 or 03:00 that morning)', () => {
    expect(isOverdue('2026-10-24T00:00:00Z', Date.parse('2026-10-24T20:59:59Z'))).toBe(false);
    expect(isOverdue('2026-10-24T00:00:00Z', Date.parse('2026-10-24T21:00:00Z'))).toBe(true);
  });

  it('no deadline, or one that is not a date, is never overdue', () => {
    expect(isOverdue(null, Date.parse('2030-01-01T00:00:00Z'))).toBe(false);
    expect(isOverdue('soon', Date.parse('2030-01-01T00:00:00Z'))).toBe(false);
  });
});

describe('helsinkiDayStart: the instant overdue is measured from (injected clock)', () => {
  it('is 22:00 UTC the evening before in winter and 21:00 UTC in summer', () => {
    expect(helsinkiDayStart(Date.parse('2026-01-15T12:00:00Z')).toISOString()).toBe('2026-01-14T22:00:00.000Z');
    expect(helsinkiDayStart(Date.parse('2026-01-14T22:00:00Z')).toISOString()).toBe('2026-01-14T22:00:00.000Z');
    expect(helsinkiDayStart(Date.parse('2026-07-15T12:00:00Z')).toISOString()).toBe('2026-07-14T21:00:00.000Z');
  });

  it('on the days the clocks change, the day still begins at the midnight before the change', () => {
    // Sunday 29 March 2026 began at 00:00 EET (+02:00); Monday 30 March at 00:00 EEST (+03:00).
    expect(helsinkiDayStart(Date.parse('2026-03-29T12:00:00Z')).toISOString()).toBe('2026-03-28T22:00:00.000Z');
    expect(helsinkiDayStart(Date.parse('2026-03-30T12:00:00Z')).toISOString()).toBe('2026-03-29T21:00:00.000Z');
    // Sunday 25 October 2026 began at 00:00 EEST (+03:00); Monday 26 October at 00:00 EET (+02:00).
    expect(helsinkiDayStart(Date.parse('2026-10-25T12:00:00Z')).toISOString()).toBe('2026-10-24T21:00:00.000Z');
    expect(helsinkiDayStart(Date.parse('2026-10-26T12:00:00Z')).toISOString()).toBe('2026-10-25T22:00:00.000Z');
  });

  it('agrees with isOverdue: a deadline is overdue exactly when it falls before the start of today', () => {
    const nows = ['2026-03-29T00:30:00Z', '2026-03-29T21:00:00Z', '2026-10-25T00:30:00Z', '2026-10-25T22:00:00Z', '2026-06-01T20:59:59Z'].map(Date.parse);
    for (const now of nows) {
      for (let h = -72; h <= 24; h += 0.5) {
        const due = new Date(now + h * 3_600_000).toISOString();
        expect([due, Date.parse(due) < helsinkiDayStart(now).getTime()]).toEqual([due, isOverdue(due, now)]);
      }
    }
  });
});
