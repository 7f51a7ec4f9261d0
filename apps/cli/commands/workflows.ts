import { Option, type Command } from 'commander';
import { randomUUID } from 'node:crypto';
import { HEALTH_LEVELS } from '../../../libs/domain/health';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { labelled } from '../format';
import { isPlainObject, nonEmpty, parseBusinessId, parseJsonText, parseLimit, readJsonFile } from '../options';
import { contextOf, wf, type Context } from './context';
import { workflowDetail, workflowTable } from './render';
import type { EventResult, LaunchResult, WorkflowDetail, WorkflowListItem, WorkflowPage } from './types';
import { cliWorkflowWords } from '../workflow-words';

const STATUSES = ['running', 'completed', 'rejected', 'expired', 'cancelled', 'failed'] as const;

/** Pages `list --all` follows at most, as a guard against a server that never ends. */
const MAX_PAGES = 10_000;

export function registerWorkflowCommands(program: Command, io: CliIo): void {
  program
    .command('launch')
    .description('start a workflow of a kind (onboarding, shareholding-merger, ...) with its input as JSON')
    .argument('<kind>', 'the workflow kind')
    .option('--file <path>', 'read the input from a JSON file')
    .option('--json-body <json>', 'the input as JSON text')
    .action(async (kind: string, opts: { file?: string; jsonBody?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      if ((opts.file === undefined) === (opts.jsonBody === undefined)) {
        throw new UsageError('give the input with exactly one of --file <path> or --json-body <json>');
      }
      const body = opts.file !== undefined ? readJsonFile(opts.file) : parseJsonText(opts.jsonBody ?? '', '--json-body');
      if (!isPlainObject(body)) throw new UsageError('the input must be a JSON object');
      const r = await ctx.api().post<LaunchResult>(`/api/workflows/${encodeURIComponent(kind)}`, body);
      if (ctx.json) return printJson(io, r);
      println(io.stdout, ctx.t('workflow.launched', { kind }));
      // workflowId and runId are named as the API names them: they are what other commands take.
      const lines = labelled([['workflowId', r.workflowId], ['runId', r.runId], ...(r.status ? [[ctx.t('workflow.status'), r.status] as const] : [])], 12);
      for (const line of lines) println(io.stdout, line);
    });

  program
    .command('list')
    .description('list workflows with filters (newest change first)')
    .option('--kind <kind>', 'only this kind')
    .addOption(new Option('--status <status>', 'only this status').choices(STATUSES))
    .option('--org <businessId>', 'only workflows that involve this organisation', parseBusinessId)
    .option('--stage <stage>', 'only workflows in this stage')
    .option('--waiting-for <party>', 'only workflows waiting for this party (substring)')
    .option('--overdue', 'only running workflows past their next deadline')
    .addOption(new Option('--health <level>', 'only workflows of this health (failed or overdue: red; a deadline within a week: amber)').choices([...HEALTH_LEVELS]))
    .option('--q <text>', 'search the title or business key')
    .option('--limit <n>', 'page size, 1 to 200 (default: the API\'s, 50; 200 with --all)', parseLimit)
    .option('--cursor <cursor>', 'continue from a page\'s nextCursor')
    .option('--all', 'follow nextCursor until the last page')
    .action(async (opts: ListOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const query = {
        kind: opts.kind, status: opts.status, org: opts.org, stage: opts.stage, waitingFor: opts.waitingFor,
        overdue: opts.overdue ? 'true' : undefined, health: opts.health, q: opts.q, limit: opts.limit ?? (opts.all ? 200 : undefined),
      };
      const api = ctx.api();
      if (!opts.all) {
        const page = await api.get<WorkflowPage>('/api/workflows', { ...query, cursor: opts.cursor });
        if (ctx.json) return printJson(io, page);
        printList(ctx, page.items);
        if (page.nextCursor) println(io.stdout, ctx.t('common.moreOrAll', { cursor: page.nextCursor }));
        return;
      }
      const items: WorkflowListItem[] = [];
      const seen = new Set<string>();
      let cursor = opts.cursor;
      for (let pages = 0; ; pages++) {
        if (pages >= MAX_PAGES) throw new CliFailure([`error: gave up after ${MAX_PAGES} pages`]);
        const page = await api.get<WorkflowPage>('/api/workflows', { ...query, cursor });
        items.push(...page.items);
        if (!page.nextCursor) break;
        if (seen.has(page.nextCursor)) throw new CliFailure([`error: the API handed out cursor ${page.nextCursor} twice; stopping`]);
        seen.add(page.nextCursor);
        cursor = page.nextCursor;
      }
      if (ctx.json) return printJson(io, { items, nextCursor: null });
      printList(ctx, items);
    });

  program
    .command('show')
    .description('a workflow with its progress, stages, pending approvals and steps')
    .argument('<workflowId>')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      printDetail(ctx, await ctx.api().get<WorkflowDetail>(wf(id)));
    });

  program
    .command('decide')
    .description('approve or reject a pending approval')
    .argument('<workflowId>')
    .requiredOption('--gate <gate>', 'the approval gate', nonEmpty)
    .requiredOption('--party <party>', 'the deciding party', nonEmpty)
    .option('--approve', 'approve')
    .option('--reject', 'reject')
    .option('--body <body>', 'the deciding body where a party decides in a chain (e.g. verso-board, then joint-authority-board)', nonEmpty)
    .option('--comment <text>', 'a comment kept with the decision')
    .option('--reference <ref>', 'e.g. a board resolution number')
    .option('--on-behalf-of <personId>', 'as a substitute: the member you decide for (found from your delegations if left out)', nonEmpty)
    .action(async (id: string, opts: DecideOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      if (Boolean(opts.approve) === Boolean(opts.reject)) throw new UsageError('give exactly one of --approve or --reject');
      const decision = opts.approve ? 'approve' : 'reject';
      const body = {
        gate: opts.gate, party: opts.party, body: opts.body, decision, comment: opts.comment, reference: opts.reference, onBehalfOf: opts.onBehalfOf,
      };
      const d = await ctx.api().post<WorkflowDetail>(`${wf(id)}/decisions`, body);
      if (ctx.json) return printJson(io, d);
      const said = ctx.t(decision === 'approve' ? 'workflow.approved' : 'workflow.rejected', { gate: opts.gate, party: opts.party });
      println(io.stdout, `${said}${opts.body ? ` (${opts.body})` : ''}`);
      println(io.stdout);
      printDetail(ctx, d);
    });

  program
    .command('event')
    .description('send a business event to a workflow, e.g. subscription.signed or payment.received')
    .argument('<workflowId>')
    .requiredOption('--type <type>', 'the event type, e.g. payment.received', nonEmpty)
    .option('--payload <json>', 'the event payload as a JSON object', '{}')
    .option('--idempotency-key <key>', 'the same key twice is applied once (default: a random UUID)', nonEmpty)
    .action(async (id: string, opts: { type: string; payload: string; idempotencyKey?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const payload = parseJsonText(opts.payload, '--payload');
      if (!isPlainObject(payload)) throw new UsageError('--payload must be a JSON object');
      const body = { type: opts.type, payload, idempotencyKey: opts.idempotencyKey ?? randomUUID() };
      const r = await ctx.api().post<EventResult>(`${wf(id)}/events`, body);
      if (ctx.json) return printJson(io, r);
      println(io.stdout, ctx.t('workflow.event', { type: opts.type, status: r.status }));
      for (const line of labelled([['workflowId', r.workflowId ?? id], ['idempotencyKey', r.idempotencyKey]], 16)) println(io.stdout, line);
    });

  program
    .command('cancel')
    .description('cancel a workflow; what it reserved is released')
    .argument('<workflowId>')
    .requiredOption('--reason <text>', 'why (kept in the audit trail)', nonEmpty)
    .action(async (id: string, opts: { reason: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const d = await ctx.api().post<WorkflowDetail>(`${wf(id)}/cancel`, { reason: opts.reason });
      if (ctx.json) return printJson(io, d);
      println(io.stdout, ctx.t('workflow.cancelRequested', { id, status: d.status }));
      println(io.stdout);
      printDetail(ctx, d);
    });
}

type ListOptions = {
  kind?: string; status?: string; org?: string; stage?: string; waitingFor?: string; overdue?: boolean; health?: string; q?: string;
  limit?: number; cursor?: string; all?: boolean;
};
type DecideOptions = {
  gate: string; party: string; body?: string; approve?: boolean; reject?: boolean; comment?: string; reference?: string; onBehalfOf?: string;
};

function printList(ctx: Context, items: WorkflowListItem[]): void {
  if (items.length === 0) return println(ctx.io.stdout, ctx.t('workflow.noneMatch'));
  for (const line of workflowTable(items, ctx.t, cliWorkflowWords(ctx.lang, ctx.t))) println(ctx.io.stdout, line);
}

function printDetail(ctx: Context, d: WorkflowDetail): void {
  if (ctx.json) return printJson(ctx.io, d);
  for (const line of workflowDetail(d, ctx.t, cliWorkflowWords(ctx.lang, ctx.t))) println(ctx.io.stdout, line);
}
