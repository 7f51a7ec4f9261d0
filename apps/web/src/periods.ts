import { helsinkiDate } from '../../../libs/domain/helsinki-time';

export type PeriodState = 'reported' | 'late' | 'overdue' | 'due' | 'future';

/** Where a payment-application period stands on `today` (YYYY-MM-DD): the colour and the words for it. */
export function periodState(p: { end: string; dueOn: string }, reportedOn: string | null, today: string): PeriodState {
  if (reportedOn) return reportedOn > p.dueOn ? 'late' : 'reported';
  if (today > p.dueOn) return 'overdue';
  return today > p.end ? 'due' : 'future';
}

/** Today as a Helsinki date: a report due on the 14th turns overdue at Helsinki midnight, not at 02:00 or 03:00. */
export const helsinkiToday = (now: number = Date.now()): string => helsinkiDate(now);
