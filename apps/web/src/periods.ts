export type PeriodState = 'reported' | 'late' | 'overdue' | 'due' | 'future';

/** Where a payment-application period stands on `today` (YYYY-MM-DD): the colour and the words for it. */
export function periodState(p: { end: string; dueOn: string }, reportedOn: string | null, today: string): PeriodState {
  if (reportedOn) return reportedOn > p.dueOn ? 'late' : 'reported';
  if (today > p.dueOn) return 'overdue';
  return today > p.end ? 'due' : 'future';
}
