import { DUE_SOON_DAYS, runHealth } from './health';

// 14:00 in Helsinki (EET) on Tuesday 10 March 2026.
const NOW = new Date('2026-03-10T12:00:00Z');

describe('runHealth', () => {
  test('a failed run is red whatever its deadline', () => {
    expect(runHealth({ status: 'failed', nextDeadline: '2026-04-30T10:00:00Z' }, NOW)).toEqual({ level: 'red', reason: 'failed', deadline: null });
  });

  test("a running run turns red at the Helsinki midnight that ends its deadline's day, not before", () => {
    // 23:59 in Helsinki yesterday: overdue. 00:00 today in Helsinki (22:00 UTC yesterday): due today, amber.
    expect(runHealth({ status: 'running', nextDeadline: '2026-03-09T21:59:00Z' }, NOW)).toEqual({ level: 'red', reason: 'overdue', deadline: '2026-03-09T21:59:00Z' });
    expect(runHealth({ status: 'running', nextDeadline: '2026-03-09T22:00:00Z' }, NOW)).toMatchObject({ level: 'amber', reason: 'due_soon' });
    // Earlier today (an hour ago): still amber until the day ends.
    expect(runHealth({ status: 'running', nextDeadline: '2026-03-10T11:00:00Z' }, NOW).level).toBe('amber');
  });

  test(`amber through the ${DUE_SOON_DAYS}th Helsinki day ahead, green after it and without a deadline`, () => {
    expect(runHealth({ status: 'running', nextDeadline: '2026-03-17T21:59:00Z' }, NOW)).toMatchObject({ level: 'amber', reason: 'due_soon' });
    expect(runHealth({ status: 'running', nextDeadline: '2026-03-17T22:00:00Z' }, NOW)).toMatchObject({ level: 'green', reason: 'on_track' });
    expect(runHealth({ status: 'running', nextDeadline: null }, NOW)).toEqual({ level: 'green', reason: 'on_track', deadline: null });
  });

  test('across the spring clock change the week ahead ends at midnight summer time', () => {
    const saturday = new Date('2026-03-28T10:00:00Z'); // clocks go forward on Sunday 29 March
    expect(runHealth({ status: 'running', nextDeadline: '2026-04-04T20:59:00Z' }, saturday).level).toBe('amber');
    expect(runHealth({ status: 'running', nextDeadline: '2026-04-04T21:00:00Z' }, saturday).level).toBe('green');
  });

  test('closed runs are green and carry no deadline', () => {
    for (const status of ['completed', 'rejected', 'expired', 'cancelled']) {
      expect(runHealth({ status, nextDeadline: '2026-03-01T10:00:00Z' }, NOW)).toEqual({ level: 'green', reason: 'closed', deadline: null });
    }
  });
});
