import ical, { ICalCalendarMethod } from 'ical-generator';
import { nextDay, type CalendarEvent } from '../domain/calendar';
import { itemLink } from '../notify/catalogue';

/**
 * An RFC 5545 calendar of all-day events (ical-generator): DTSTART/DTEND as dates, so the event stays on its
 * Helsinki day in every client's time zone; UID stable per item and SEQUENCE/DTSTAMP/LAST-MODIFIED from the
 * run's last change, so Outlook and others update an event in place when the plan moves.
 */
export function renderCalendar(name: string, events: readonly CalendarEvent[], publicUrl: string): string {
  const cal = ical({
    name,
    prodId: { company: 'Fuusio', product: 'Deadlines', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    // Clients that honour it poll hourly; plans change seldom more often.
    ttl: 3600,
  });
  for (const e of events) {
    const updated = new Date(e.updatedAt);
    cal.createEvent({
      id: `${e.uid}@fuusio`,
      start: new Date(`${e.date}T00:00:00Z`),
      end: new Date(`${nextDay(e.date)}T00:00:00Z`),
      allDay: true,
      summary: e.summary,
      description: e.description,
      url: itemLink(publicUrl, e.workflowId),
      stamp: updated,
      lastModified: updated,
      sequence: e.sequence,
      categories: [{ name: e.type }],
    });
  }
  return cal.toString();
}
