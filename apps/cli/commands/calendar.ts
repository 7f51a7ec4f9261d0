import type { Command } from 'commander';
import type { CalendarFeed } from '../../../libs/domain/calendar';
import { table, when } from '../format';
import { println, printJson, type CliIo } from '../io';
import { nonEmpty, parseBusinessId } from '../options';
import { contextOf } from './context';

/** `calendar create|list|revoke`: iCalendar feeds of a person's or an organisation's deadlines. */
export function registerCalendarCommands(program: Command, io: CliIo): void {
  const calendar = program.command('calendar').description('iCalendar feeds of deadlines (subscribe to the URL in Outlook, Google or Apple calendars)');
  calendar
    .command('create')
    .description("create a feed of a person's (admin, or yourself) or an organisation's (admin) deadlines; the URL is shown once")
    .option('--person <id>', 'the person whose deadlines the feed shows', nonEmpty)
    .option('--org <businessId>', 'the organisation whose deadlines the feed shows', parseBusinessId)
    .option('--label <text>', 'a name for the feed', nonEmpty)
    .action(async (opts: { person?: string; org?: string; label?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const feed = await ctx.api().post<CalendarFeed & { url: string }>('/api/calendar-feeds', {
        person: opts.person, organisation: opts.org, label: opts.label,
      });
      if (ctx.json) return printJson(io, feed);
      println(io.stdout, ctx.t('calendar.created', { id: feed.id, of: feed.person ?? feed.organisation, url: feed.url }));
      println(io.stdout, ctx.t('calendar.keepSecret'));
    });
  calendar
    .command('list')
    .description('the feeds you may manage (their URLs are not shown again)')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const page = await ctx.api().get<{ items: CalendarFeed[] }>('/api/calendar-feeds');
      if (ctx.json) return printJson(io, page);
      const rows = page.items.map((f) => [
        String(f.id), f.person ?? f.organisation ?? '', f.label ?? '', when(f.createdAt),
        f.revokedAt ? ctx.t('calendar.revokedAt', { at: when(f.revokedAt) }) : ctx.t('calendar.active'),
      ]);
      for (const line of table(['id', 'of', 'label', 'created', 'state'].map((k) => ctx.t(`calendar.col.${k}`)), rows)) println(io.stdout, line);
    });
  calendar
    .command('revoke')
    .description('revoke a feed: its URL answers 404 from now on')
    .argument('<id>', 'the feed id (see calendar list)')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const feed = await ctx.api().post<CalendarFeed>(`/api/calendar-feeds/${encodeURIComponent(id)}/revoke`, {});
      if (ctx.json) return printJson(io, feed);
      println(io.stdout, ctx.t('calendar.revoked', { id: feed.id }));
    });
}
