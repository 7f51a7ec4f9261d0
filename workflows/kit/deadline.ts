import { condition } from '@temporalio/workflow';

export type Reminder = { key: string; beforeMs: number };

/**
 * Waits until `done()` holds or the deadline passes; calls `remind` at each reminder time on the way.
 * Returns true when `done()` held in time. Reminders whose time has already passed are skipped.
 */
export async function waitWithReminders(
  done: () => boolean,
  dueAtMs: number,
  reminders: Reminder[],
  remind: (r: Reminder) => Promise<void>,
): Promise<boolean> {
  const ordered = [...reminders].sort((a, b) => b.beforeMs - a.beforeMs);
  for (const r of ordered) {
    const wait = dueAtMs - r.beforeMs - Date.now();
    if (wait <= 0) continue;
    if (await condition(done, wait)) return true;
    await remind(r);
  }
  const rest = dueAtMs - Date.now();
  if (rest <= 0) return done();
  return condition(done, rest);
}
