import { Option, type Command } from 'commander';
import type { InboxItem } from '../../../libs/domain/inbox';
import { ROLE_KEYS, type Delegation } from '../../../libs/domain/people';
import { table, when } from '../format';
import { println, printJson, type CliIo } from '../io';
import { nonEmpty, parseBusinessId, parseLimit } from '../options';
import { contextOf } from './context';

type InboxPage = { person: string | null; items: InboxItem[]; nextCursor: string | null };

/** `inbox`, `people …` and `delegate`: what waits for me, the directory and substitutes. */
export function registerPeopleCommands(program: Command, io: CliIo): void {
  program
    .command('inbox')
    .description("what waits for the token's person: decisions, events to send and tasks, overdue first")
    .addOption(new Option('--type <type>', 'only this kind of item').choices(['decision', 'event', 'task']))
    .option('--kind <kind>', 'only workflows of this kind')
    .option('--overdue', 'only overdue items')
    .option('--limit <n>', 'page size, 1 to 200', parseLimit)
    .option('--cursor <cursor>', "continue from a page's nextCursor")
    .action(async (opts: { type?: string; kind?: string; overdue?: boolean; limit?: number; cursor?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const page = await ctx.api().get<InboxPage>('/api/inbox', {
        type: opts.type, kind: opts.kind, overdue: opts.overdue ? 'true' : undefined, limit: opts.limit, cursor: opts.cursor,
      });
      if (ctx.json) return printJson(io, page);
      const { t } = ctx;
      if (!page.person) return println(io.stdout, t('inbox.noPerson'));
      if (page.items.length === 0) return println(io.stdout, t('inbox.empty', { person: page.person }));
      const rows = page.items.map((i) => [
        i.overdue ? t('inbox.overdue') : '', when(i.dueAt), i.type, i.what + (i.onBehalfOf ? ` ${t('inbox.for', { who: i.onBehalfOf })}` : ''), i.workflowId,
        i.type === 'decision' ? `decide --gate ${i.gate} --party ${i.party}` : `event --type ${i.event}`,
      ]);
      const headers = ['', ...['due', 'type', 'what', 'workflow', 'how'].map((k) => t(`inbox.col.${k}`))];
      for (const line of table(headers, rows)) println(io.stdout, line);
      if (page.nextCursor) println(io.stdout, t('common.more', { cursor: page.nextCursor }));
    });

  const people = program.command('people').description('the directory of people who act in processes');
  people
    .command('add')
    .description('add a person (admin)')
    .argument('<id>', 'a pseudonymous id, e.g. socom-board-6')
    .requiredOption('--name <displayName>', 'the display name', nonEmpty)
    .addOption(new Option('--language <lang>', 'fi, sv or en').choices(['fi', 'sv', 'en']).default('fi'))
    .option('--email <address>', 'an e-mail address for notices')
    .action(async (id: string, opts: { name: string; language: string; email?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const p = await ctx.api().post('/api/people', { id, displayName: opts.name, language: opts.language, email: opts.email });
      if (ctx.json) return printJson(io, p);
      println(io.stdout, ctx.t('people.added', { id }));
    });
  people
    .command('role')
    .description('give a person a role in an organisation (admin)')
    .argument('<id>')
    .requiredOption('--org <businessId>', 'the organisation', parseBusinessId)
    .addOption(new Option('--role <role>', 'the role').choices(ROLE_KEYS).makeOptionMandatory())
    .option('--body <key>', 'the deciding body the role sits in, e.g. board')
    .requiredOption('--from <date>', 'valid from (YYYY-MM-DD)')
    .option('--to <date>', 'valid to (YYYY-MM-DD)')
    .action(async (id: string, opts: { org: string; role: string; body?: string; from: string; to?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const p = await ctx.api().post(`/api/people/${encodeURIComponent(id)}/roles`, {
        organisation: opts.org, role: opts.role, body: opts.body, validFrom: opts.from, validTo: opts.to,
      });
      if (ctx.json) return printJson(io, p);
      const role = ctx.t('people.role', { id, role: opts.role, org: opts.org });
      const to = opts.to ? ` ${ctx.t('people.roleTo', { to: opts.to })}` : '';
      println(io.stdout, `${role}${opts.body ? ` (${opts.body})` : ''} ${ctx.t('people.roleFrom', { from: opts.from })}${to}`);
    });
  people
    .command('notify')
    .description("show or set how a person gets their mail: immediate, or daily (one digest per Helsinki day); admin or the person")
    .argument('<id>')
    .argument('[mode]', 'immediate or daily (omit to show)')
    .action(async (id: string, mode: string | undefined, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const path = `/api/people/${encodeURIComponent(id)}/notify`;
      const pref = mode === undefined
        ? await ctx.api().get<{ personId: string; notify: string }>(path)
        : await ctx.api().post<{ personId: string; notify: string }>(path, { notify: mode });
      if (ctx.json) return printJson(io, pref);
      println(io.stdout, ctx.t(pref.notify === 'daily' ? 'people.notifyDaily' : 'people.notifyImmediate', { id: pref.personId }));
    });
  people
    .command('list')
    .description('people with their roles')
    .option('--org <businessId>', 'only people with a role in this organisation', parseBusinessId)
    .action(async (opts: { org?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      type Row = { id: string; displayName: string | null; language: string; roles: { organisation: string; role: string; body: string | null }[] };
      const page = await ctx.api().get<{ items: Row[] }>('/api/people', { organisation: opts.org, limit: 200 });
      if (ctx.json) return printJson(io, page);
      const rows = page.items.map((p) => [p.id, p.displayName ?? ctx.t('people.erased'), p.language, p.roles.map((r) => `${r.role}@${r.organisation}${r.body ? `/${r.body}` : ''}`).join(', ')]);
      for (const line of table(['id', 'name', 'lang', 'roles'].map((k) => ctx.t(`people.col.${k}`)), rows)) println(io.stdout, line);
    });

  program
    .command('delegate')
    .description('hand a role to a substitute for a date range (admin, or the person themselves)')
    .requiredOption('--from-person <id>', 'who hands the role on', nonEmpty)
    .requiredOption('--to-person <id>', 'the substitute', nonEmpty)
    .requiredOption('--org <businessId>', 'the organisation', parseBusinessId)
    .addOption(new Option('--role <role>', 'the role').choices(ROLE_KEYS).makeOptionMandatory())
    .requiredOption('--from <date>', 'first day (YYYY-MM-DD)')
    .requiredOption('--to <date>', 'last day (YYYY-MM-DD)')
    .action(async (opts: { fromPerson: string; toPerson: string; org: string; role: string; from: string; to: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const d = await ctx.api().post<Delegation>('/api/delegations', {
        fromPerson: opts.fromPerson, toPerson: opts.toPerson, organisation: opts.org, role: opts.role, validFrom: opts.from, validTo: opts.to,
      });
      if (ctx.json) return printJson(io, d);
      println(io.stdout, ctx.t('people.delegation', {
        id: d.id, to: d.toPerson, from: d.fromPerson, role: d.role, org: d.organisation, validFrom: d.validFrom, validTo: d.validTo,
      }));
    });
}
