import { calendarEvents, helsinkiDate, nextDay, sequenceOf, type CalendarSourceItem } from './calendar';

const item = (over: Partial<CalendarSourceItem>): CalendarSourceItem => ({
  uid: 'wf/x', type: 'deadline', workflowId: 'wf', kind: 'onboarding', runTitle: 'Run', what: 'Sign', date: null, at: null,
  updatedAt: '2026-03-01T10:00:00.000Z', ...over,
});

describe('calendar events', () => {
  test('an instant falls on its Helsinki day, in winter (UTC+2) and in summer (UTC+3)', () => {
    expect(helsinkiDate('2026-12-09T21:59:59.000Z')).toBe('2026-12-09');
    expect(helsinkiDate('2026-12-09T22:00:00.000Z')).toBe('2026-12-10');
    expect(helsinkiDate('2026-06-09T20:59:59.000Z')).toBe('2026-06-09');
    expect(helsinkiDate('2026-06-09T21:00:00.000Z')).toBe('2026-06-10');
  });

  test('the day after, across a month and a leap day', () => {
    expect(nextDay('2028-02-28')).toBe('2028-02-29');
    expect(nextDay('2026-12-31')).toBe('2027-01-01');
  });

  test('SEQUENCE grows with the run\'s last change and is the same for the same change', () => {
    expect(sequenceOf('2026-03-01T10:00:01.000Z')).toBeGreaterThan(sequenceOf('2026-03-01T10:00:00.000Z'));
    expect(sequenceOf('2026-03-01T10:00:00.000Z')).toBe(sequenceOf('2026-03-01T10:00:00.000Z'));
    expect(sequenceOf('2020-01-01T00:00:00.000Z')).toBe(0);
  });

  test('one event per UID (the first source wins), a date column as it is, ordered by day then UID, undated items left out', () => {
    const events = calendarEvents([
      item({ uid: 'b/effective', type: 'effective', what: 'Effective date', date: '2027-01-01' }),
      item({ uid: 'b/effective', type: 'effective', what: 'Effective', at: '2027-03-01T00:00:00.000Z' }),
      item({ uid: 'a/stage/payment', at: '2026-12-31T22:30:00.000Z' }),
      item({ uid: 'c/none' }),
    ]);
    expect(events.map((e) => [e.uid, e.date, e.summary])).toEqual([
      ['a/stage/payment', '2027-01-01', 'Deadline: Sign — Run'],
      ['b/effective', '2027-01-01', 'Effective date: Effective date — Run'],
    ]);
  });
});
