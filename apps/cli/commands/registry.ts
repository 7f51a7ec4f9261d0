import type { Command } from 'commander';
import { cell, table } from '../format';
import { CliFailure, println, printJson, type CliIo } from '../io';
import { parseBusinessId, parseDate } from '../options';
import { contextOf } from './context';
import type { Organisation, OrganisationPage, Shareholders } from './types';

const MAX_PAGES = 10_000;

export function registerRegistryCommands(program: Command, io: CliIo): void {
  program
    .command('organisations')
    .description('organisations in the registry (all pages)')
    .option('--kind <kind>', 'e.g. municipality, wellbeing-county, uas')
    .option('--region <region>', 'only this region')
    .option('--at <date>', 'only those valid on this date (YYYY-MM-DD)', parseDate)
    .action(async (opts: { kind?: string; region?: string; at?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const api = ctx.api();
      const items: Organisation[] = [];
      let after: string | undefined;
      for (let pages = 0; ; pages++) {
        if (pages >= MAX_PAGES) throw new CliFailure([`error: gave up after ${MAX_PAGES} pages`]);
        const page = await api.get<OrganisationPage>('/api/organisations', { kind: opts.kind, region: opts.region, at: opts.at, after });
        items.push(...page.items);
        if (!page.nextAfter || page.nextAfter === after) break;
        after = page.nextAfter;
      }
      if (ctx.json) return printJson(io, { items, nextAfter: null });
      if (items.length === 0) return println(io.stdout, ctx.t('registry.noneMatch'));
      const rows = items.map((o) => [o.businessId, o.name, o.kind, cell(o.region), o.validFrom, cell(o.validTo), cell(o.mergedInto)]);
      const headers = ['businessId', 'name', 'kind', 'region', 'validFrom', 'validTo', 'mergedInto'].map((k) => ctx.t(`registry.col.${k}`));
      for (const line of table(headers, rows)) {
        println(io.stdout, line);
      }
    });

  program
    .command('shareholders')
    .description("a company's shareholders with share counts and share-number ranges")
    .argument('<companyBusinessId>', 'the company', parseBusinessId)
    .option('--at <date>', 'on this date (YYYY-MM-DD; default today)', parseDate)
    .action(async (company: string, opts: { at?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().get<Shareholders>(`/api/companies/${encodeURIComponent(company)}/shareholders`, { at: opts.at });
      if (ctx.json) return printJson(io, r);
      println(io.stdout, ctx.t('registry.shareholdersOf', { company: r.company, at: r.at }));
      println(io.stdout);
      if (r.holders.length === 0) println(io.stdout, `  ${ctx.t('common.none')}`);
      else {
        const rows = r.holders.map((h) => [
          h.businessId, h.name, String(h.shares), h.ranges.map((x) => (x.first === x.last ? `${x.first}` : `${x.first}-${x.last}`)).join(', '),
        ]);
        const headers = ['businessId', 'name', 'shares', 'shareNumbers'].map((k) => ctx.t(`registry.col.${k}`));
        for (const line of table(headers, rows)) println(io.stdout, `  ${line}`);
      }
      println(io.stdout);
      const issued = r.totals.sharesIssued ?? null;
      const totals = { holders: r.totals.holders, held: r.totals.sharesHeld, issued };
      println(io.stdout, ctx.t(issued === null ? 'registry.totals' : 'registry.totalsIssued', totals));
    });
}
