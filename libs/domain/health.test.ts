import { DUE_SOON_DAYS, runHealth } from './health';

const NOW = new Date('2026-03-29T12:00:00Z');
const DAY = 24 * 3600 * 1000;
const at = (ms: number) => new Date(NOW.getTime() + ms).toISOString();

describe('runHealth', () => {
  test('a failed run is red whatever its deadline', () => {
    expect(runHealth({ status: 'failed', nextDeadline: at(30 * DAY) }, NOW)).toEqual({ level: 'red', reason: 'failed', deadline: null });
  });

  test('a running run is red once its deadline has passed, to the millisecond', () => {
    expect(runHealth({ status: 'running', nextDeadline: at(-1) }, NOW)).toEqual({ level: 'red', reason: 'overdue', deadline: at(-1) });
    expect(runHealth({ status: 'running', nextDeadline: at(0) }, NOW).level).toBe('amber');
  });

  test(`amber within ${DUE_SOON_DAYS} days, green beyond and without a deadline`, () => {
    expect(runHealth({ status: 'running', nextDeadline: at(DUE_SOON_DAYS * DAY - 1) }, NOW)).toMatchObject({ level: 'amber', reason: 'due_soon' });
    expect(runHealth({ status: 'running', nextDeadline: at(DUE_SOON_DAYS * DAY) }, NOW)).toMatchObject({ level: 'green', reason: 'on_track' });
    expect(runHealth({ status: 'running', nextDeadline: null }, NOW)).toEqual({ level: 'green', reason: 'on_track', deadline: null });
  });

  test('closed runs are green and carry no deadline', () => {
    for (const status of ['completed', 'rejected', 'expired', 'cancelled']) {
      expect(runHealth({ status, nextDeadline: at(-DAY) }, NOW)).toEqual({ level: 'green', reason: 'closed', deadline: null });
    }
  });
});
