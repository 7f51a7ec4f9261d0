import { z } from 'zod';
import { personIdSchema } from './people';
import { businessIdSchema } from './schemas';
import { helsinkiDate } from './helsinki-time';

/**
 * Calendar feeds: the dated items of the open workflows a person or an organisation is involved in, as
 * all-day events on Helsinki calendar dates.
 */
export type CalendarItemType = 'decision' | 'deadline' | 'report' | 'period-end' | 'effective' | 'task';

/** One dated item as the repository reads it from the projection. */
export type CalendarSourceItem = {
  /** Stable across reads while the item exists: the event's UID is made of it, so a calendar updates it in place. */
  uid: string;
  type: CalendarItemType;
  workflowId: string;
  kind: string;
  runTitle: string;
  /** What falls due, in words (the body that decides, the stage, the period). */
  what: string;
  /** Either a calendar date (YYYY-MM-DD, a DATE column) or an instant (ISO), whichever the source has. */
  date: string | null;
  at: string | null;
  /** When the run's projection last changed: the event's DTSTAMP/LAST-MODIFIED and the basis of SEQUENCE. */
  updatedAt: string;
};

export type CalendarEvent = {
  uid: string;
  type: CalendarItemType;
  workflowId: string;
  /** The Helsinki calendar date (YYYY-MM-DD) the item falls on. */
  date: string;
  summary: string;
  description: string;
  updatedAt: string;
  sequence: number;
};

export { helsinkiDate };

/** The day after a calendar date: an all-day event's exclusive DTEND. */
export function nextDay(date: string): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

/** Seconds from this epoch: small enough for the 32-bit integers some calendar clients keep SEQUENCE in. */
const SEQUENCE_EPOCH_MS = Date.UTC(2024, 0, 1);

/**
 * SEQUENCE must grow whenever an event changes, or Outlook keeps its old copy. The feed keeps no state, so
 * it is derived from when the run's projection last changed (every re-plan is a tracking write): it never
 * goes down, and an unchanged run gives the same number on every fetch.
 */
export function sequenceOf(updatedAt: string): number {
  return Math.max(0, Math.floor((Date.parse(updatedAt) - SEQUENCE_EPOCH_MS) / 1000));
}

const PREFIX: Record<CalendarItemType, string> = {
  decision: 'Decision due',
  deadline: 'Deadline',
  report: 'Report due',
  'period-end': 'Period ends',
  effective: 'Effective date',
  task: 'Task due',
};

/**
 * The events of a feed: one per UID (the first source wins, so the repository lists the more exact source
 * first), dated on Helsinki days, in date then UID order so the feed reads the same on every fetch.
 */
export function calendarEvents(items: readonly CalendarSourceItem[]): CalendarEvent[] {
  const byUid = new Map<string, CalendarEvent>();
  for (const i of items) {
    if (byUid.has(i.uid)) continue;
    const date = i.date ?? (i.at ? helsinkiDate(i.at) : null);
    if (!date) continue;
    byUid.set(i.uid, {
      uid: i.uid, type: i.type, workflowId: i.workflowId, date,
      summary: `${PREFIX[i.type]}: ${i.what} — ${i.runTitle}`,
      description: `${i.what}\n${i.runTitle} (${i.kind}, ${i.workflowId})`,
      updatedAt: i.updatedAt, sequence: sequenceOf(i.updatedAt),
    });
  }
  return [...byUid.values()].sort((a, b) => (a.date === b.date ? (a.uid < b.uid ? -1 : 1) : a.date < b.date ? -1 : 1));
}

/** `POST /api/calendar-feeds`: a feed of one person or one organisation. */
export const calendarFeedInputSchema = z.object({
  person: personIdSchema.optional(),
  organisation: businessIdSchema.optional(),
  label: z.string().trim().min(1).max(200).optional(),
}).strict().superRefine((v, ctx) => {
  if ((v.person === undefined) === (v.organisation === undefined)) {
    ctx.addIssue({ code: 'custom', path: [v.person === undefined ? 'person' : 'organisation'], message: 'give exactly one of person and organisation' });
  }
});
export type CalendarFeedInput = z.infer<typeof calendarFeedInputSchema>;

/** A feed as listed: never the secret or its hash. */
export const calendarFeedSchema = z.object({
  id: z.number().int(),
  person: z.string().nullable(),
  organisation: z.string().nullable(),
  label: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  revokedAt: z.string().nullable(),
  revokedBy: z.string().nullable(),
});
export type CalendarFeed = z.infer<typeof calendarFeedSchema>;

/** The answer to a creation: the feed with its secret URL, shown this once. */
export const createdCalendarFeedSchema = calendarFeedSchema.extend({ secret: z.string(), url: z.string() });

/** The feed's secret in its URL: 43 base64url characters (32 random bytes). */
export const feedSecretSchema = z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'not a feed secret');
