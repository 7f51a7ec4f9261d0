import { patched } from '@temporalio/workflow';
import { isoDate } from '../../libs/domain/duration';
import { helsinkiDate, helsinkiDayEndMs, helsinkiDayStartMs } from '../../libs/domain/helsinki-time';
import { addDays, dayStartMs } from '../../libs/domain/calendar-dates';

/** The patch that moved every workflow's calendar days from UTC to Europe/Helsinki. */
export const HELSINKI_DAYS = 'helsinki-days';

export type CalendarDays = {
  /** The instant the day begins: when an effective date takes effect, when a planned start starts. */
  startMs(day: string): number;
  /** The instant the day ends: when "due on that day" turns overdue. */
  endMs(day: string): number;
  /** Today's date (YYYY-MM-DD) by the workflow's clock. */
  today(): string;
  /**
   * A deadline "on that day" as the projection shows it: an instant whose Helsinki date is the day, so
   * the API, the inbox, the calendar and the dashboard read the day and call it overdue once it has ended
   * (libs/domain/helsinki-time.ts). Runs from before HELSINKI_DAYS showed the end of the UTC day.
   */
  deadlineIso(day: string): string;
};

const HELSINKI: CalendarDays = {
  startMs: helsinkiDayStartMs, endMs: helsinkiDayEndMs, today: () => helsinkiDate(Date.now()),
  deadlineIso: (day) => new Date(helsinkiDayStartMs(day)).toISOString(),
};
const UTC: CalendarDays = {
  startMs: dayStartMs, endMs: (day) => dayStartMs(addDays(day, 1)), today: () => isoDate(Date.now()),
  deadlineIso: (day) => new Date(dayStartMs(addDays(day, 1))).toISOString(),
};

/**
 * The calendar a run counts its days in. Runs from before HELSINKI_DAYS counted them in UTC (a report
 * "due on 31 March" turned overdue at 02:00 or 03:00 in Helsinki) and replay that way. Call once, at the
 * start of the workflow function.
 */
export function calendarDays(): CalendarDays {
  return patched(HELSINKI_DAYS) ? HELSINKI : UTC;
}
