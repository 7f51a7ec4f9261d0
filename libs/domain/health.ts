import { helsinkiDate, isOverdue } from './helsinki-time';

/**
 * A run's health for people who track many: red, amber or green from facts alone, with the reason as a
 * stable code (the dashboard and the CLI word it in the reader's language). One rule for the API's
 * list, detail, counts and filter; the list's SQL filter (process.repository) states the same rule and a
 * test holds the two together.
 */
export const HEALTH_LEVELS = ['red', 'amber', 'green'] as const;
export type HealthLevel = (typeof HEALTH_LEVELS)[number];

/** failed: the run ended failed; overdue: its deadline's Helsinki day has ended; due_soon: within the horizon; on_track; closed. */
export type HealthReason = 'failed' | 'overdue' | 'due_soon' | 'on_track' | 'closed';

export type Health = { level: HealthLevel; reason: HealthReason; deadline: string | null };

/** How many Helsinki days ahead (today counted as 0) a deadline turns a running workflow amber. */
export const DUE_SOON_DAYS = 7;

/**
 * Deadlines are Helsinki days: overdue once the deadline's Helsinki day has ended (isOverdue), due soon
 * when it falls on today or one of the next DUE_SOON_DAYS days.
 */
export function runHealth(run: { status: string; nextDeadline: string | null }, now: Date): Health {
  const deadline = run.status === 'running' ? run.nextDeadline : null;
  if (run.status === 'failed') return { level: 'red', reason: 'failed', deadline: null };
  if (run.status !== 'running') return { level: 'green', reason: 'closed', deadline: null };
  if (deadline === null) return { level: 'green', reason: 'on_track', deadline };
  if (isOverdue(deadline, now)) return { level: 'red', reason: 'overdue', deadline };
  const lastSoonDay = new Date(Date.parse(`${helsinkiDate(now)}T00:00:00Z`) + DUE_SOON_DAYS * 86_400_000).toISOString().slice(0, 10);
  if (helsinkiDate(deadline) <= lastSoonDay) return { level: 'amber', reason: 'due_soon', deadline };
  return { level: 'green', reason: 'on_track', deadline };
}
