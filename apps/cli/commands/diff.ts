import { type Command, InvalidArgumentError } from 'commander';
import { cell, table, when } from '../format';
import { println, printJson, type CliIo } from '../io';
import { parseBusinessId, parseDate } from '../options';
import { contextOf, wf } from './context';

/** One change as the API answers it (state/diff and registry/diff): the pure diff plus who made it. */
export type DiffChange = {
  op: 'added' | 'removed' | 'changed';
  section: string;
  key: string;
  before?: Record<string, unknown>;
  after?: Record<string, unknown>;
  fields?: { field: string; before?: unknown; after?: unknown }[];
  on?: string | null;
  cause?: { seq: number; action: string; occurredAt: string } | null;
  workflow?: { workflowId: string; title: string; imported: boolean } | null;
  decision?: { body: string; party: string; decidedAt?: string | null; reference?: string | null } | null;
};
type StateDiff = { workflowId: string; from: string; to: string; imported?: boolean; changes: DiffChange[] };
type RegistryDiff = { from: string; to: string; organisation: string | null; changes: DiffChange[] };

/** A date (YYYY-MM-DD, the end of that Helsinki day) or a time with zone, as `state?at=` takes them. */
export function parseMoment(value: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return parseDate(value);
  if (!/^\d{4}-\d{2}-\d{2}T.+(Z|[+-]\d{2}:\d{2})$/.test(value) || Number.isNaN(Date.parse(value))) {
    throw new InvalidArgumentError('must be a date as YYYY-MM-DD or a time with zone (2023-01-01T12:00:00+02:00)');
  }
  return value;
}

const short = (v: unknown): string => (v === undefined ? '∅' : typeof v === 'string' ? v : JSON.stringify(v));

/** What changed, in a line: the fields of a changed row, the main fields of an added or removed one. */
export function describeChange(c: DiffChange): string {
  if (c.op === 'changed') return (c.fields ?? []).map((f) => `${f.field}: ${short(f.before)} → ${short(f.after)}`).join('; ');
  const row = (c.op === 'added' ? c.after : c.before) ?? {};
  return Object.entries(row)
    .filter(([k, v]) => v !== null && !/^source|^valid|^acquired|^disposed/.test(k))
    .map(([k, v]) => `${k}=${short(v)}`)
    .join(' ');
}

function decisionText(c: DiffChange): string {
  const d = c.decision;
  if (!d) return '-';
  return [d.body, d.decidedAt ? when(d.decidedAt) : null, d.reference].filter(Boolean).join(', ');
}

function printChanges(io: CliIo, headers: string[], rows: string[][]): void {
  if (rows.length === 0) return println(io.stdout, 'no changes');
  for (const line of table(headers, rows)) println(io.stdout, line);
}

export function registerDiffCommands(program: Command, io: CliIo): void {
  program
    .command('state')
    .description("a workflow's business state over time (auditor)")
    .command('diff')
    .description("what changed in a workflow's state between two times, with the event and decision behind each change")
    .argument('<workflowId>', 'the workflow')
    .requiredOption('--from <time>', 'the earlier date (YYYY-MM-DD: the end of that Helsinki day) or time with zone', parseMoment)
    .option('--to <time>', 'the later date or time (default now)', parseMoment)
    .action(async (id: string, opts: { from: string; to?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().get<StateDiff>(`${wf(id)}/state/diff`, { from: opts.from, to: opts.to });
      if (ctx.json) return printJson(io, r);
      println(io.stdout, `${r.workflowId}${r.imported ? ' (imported)' : ''}: ${when(r.from)} → ${when(r.to)}, ${r.changes.length} change(s)`);
      println(io.stdout);
      printChanges(io, ['SECTION', 'KEY', 'CHANGE', 'WHAT', 'EVENT', 'DECISION'], r.changes.map((c) => [
        c.section, c.key, c.op, describeChange(c), c.cause ? `#${c.cause.seq} ${c.cause.action} ${when(c.cause.occurredAt)}` : '-', decisionText(c),
      ]));
    });

  program
    .command('registry')
    .description('the registry over time')
    .command('diff')
    .description('organisations, service areas, holdings and share registers changed between two dates, with the workflow and decision')
    .requiredOption('--from <date>', 'the earlier Helsinki date (YYYY-MM-DD)', parseDate)
    .requiredOption('--to <date>', 'the later Helsinki date (YYYY-MM-DD)', parseDate)
    .option('--organisation <businessId>', 'only changes naming this organisation', parseBusinessId)
    .action(async (opts: { from: string; to: string; organisation?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().get<RegistryDiff>('/api/registry/diff', { from: opts.from, to: opts.to, organisation: opts.organisation });
      if (ctx.json) return printJson(io, r);
      const scope = r.organisation ? ` for ${r.organisation}` : '';
      println(io.stdout, `Registry ${r.from} → ${r.to}${scope}: ${r.changes.length} change(s)`);
      println(io.stdout);
      printChanges(io, ['SECTION', 'KEY', 'CHANGE', 'ON', 'WHAT', 'WORKFLOW', 'DECISION'], r.changes.map((c) => [
        c.section, c.key, c.op, cell(c.on), describeChange(c),
        c.workflow ? `${c.workflow.workflowId}${c.workflow.imported ? ' (imported)' : ''}` : '-', decisionText(c),
      ]));
    });
}
