import type { Command } from 'commander';
import { CliFailure, println, printJson, type CliIo } from '../io';
import { isTty, progressLine } from '../progress';
import { contextOf, wf, type Context } from './context';
import type { ErasureResult } from '../../../libs/db/repositories/personal-data.repository';
import { nonEmpty } from '../options';
import type { AuditVerify, Crosscheck } from './types';

export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the audit trail (auditor)');
  audit
    .command('verify')
    .description('recompute the audit hash chains, the Merkle log and the signed checkpoints; exit code 1 when anything is broken')
    .option('--incremental', 'only what was added since the last verification that passed')
    .option('--progress', 'show the progress and the rate on stderr even when it is not a terminal')
    .action(async (opts: { incremental?: boolean; progress?: boolean }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const query: Record<string, string> = opts.incremental ? { mode: 'incremental' } : {};
      // Always the stream: a full verify of a large trail runs for minutes, past the timeout of one answer.
      const r = await verifyStreamed(ctx, io, query, opts.progress === true || isTty(io));
      if (ctx.json) printJson(io, r);
      else if (r.ok) {
        println(io.stdout, r.leaves === undefined
          ? ctx.t('audit.ok', { checked: r.checked })
          : ctx.t('audit.okLog', { checked: r.checked, leaves: r.leaves, checkpoints: r.checkpoints, from: r.fromTreeSize, to: r.verifiedTreeSize }));
      } else {
        for (const p of r.problems ?? []) {
          const where = [p.seq !== undefined ? `seq ${p.seq}` : '', p.chainId ? `${p.chainId}#${p.chainSeq}` : '', p.treeSize !== undefined ? `checkpoint ${p.treeSize}` : '']
            .filter(Boolean).join(' ');
          println(io.stdout, `  ${p.kind}: ${where}: ${p.reason}`);
        }
      }
      if (!r.ok) {
        const at = r.firstBrokenSeq === undefined ? 'at an unknown event' : `at seq ${r.firstBrokenSeq}`;
        throw new CliFailure([`error audit_chain_broken: the audit chain is broken ${at} (${r.checked} events checked)`]);
      }
    });

  audit
    .command('crosscheck')
    .description("compare a workflow's Temporal history with its audit events; exit code 1 when either lacks the other")
    .argument('<workflowId>', 'the workflow to check')
    .action(async (workflowId: string, _opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().get<Crosscheck>(`${wf(workflowId)}/crosscheck`);
      if (ctx.json) printJson(io, r);
      else {
        println(io.stdout, ctx.t('audit.crosscheck', { id: r.workflowId, tracked: r.trackedInHistory, runs: r.runs, events: r.auditEvents }));
        for (const m of r.missingInAudit) println(io.stdout, `  ${ctx.t('audit.missingInAudit', { key: m.key, event: m.historyEventId })}`);
        for (const m of r.missingInHistory) println(io.stdout, `  ${ctx.t('audit.missingInHistory', { key: m.key, seq: m.seq })}`);
        if (r.ok) println(io.stdout, ctx.t('audit.crosscheckOk'));
      }
      if (!r.ok) {
        throw new CliFailure([
          `error crosscheck_failed: ${r.missingInAudit.length} tracked step(s) lack an audit event, ${r.missingInHistory.length} audit event(s) lack a history event`,
        ]);
      }
    });

  audit
    .command('erase')
    .description("erase the personal data (comments, notes) kept with a workflow's audit events; the chain still verifies (admin)")
    .argument('<workflowId>', 'the workflow whose audit events hold the data')
    .requiredOption('--reason <text>', 'why, e.g. the erasure request number', nonEmpty)
    .option('--actor <role:name>', 'only what this actor wrote, as the audit trail names it (e.g. manager:maija)', nonEmpty)
    .action(async (workflowId: string, opts: { reason: string; actor?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().post<ErasureResult>('/api/audit/erasures', { workflowId, reason: opts.reason, ...(opts.actor ? { actor: opts.actor } : {}) });
      if (ctx.json) return printJson(io, r);
      println(io.stdout, r.auditSeq === null
        ? ctx.t('audit.nothingToErase', { id: workflowId })
        : ctx.t('audit.erased', { id: workflowId, events: r.erased, seqs: r.seqs.join(', '), seq: r.auditSeq ?? '-' }));
    });
}

type VerifyProgress = { phase: 'chains' | 'log' | 'done'; done: number; total: number; seconds: number; perSecond: number };
type VerifyLine = { progress?: VerifyProgress; result?: AuditVerify; error?: { error: string; message: string } };

/** Asks for the NDJSON answer; when `shown`, draws its progress lines on stderr, the last saying the rate. */
async function verifyStreamed(ctx: Context, io: CliIo, query: Record<string, string>, shown: boolean): Promise<AuditVerify> {
  const bar = progressLine(io, shown);
  const count = (n: number) => Math.round(n).toLocaleString('en');
  let result: AuditVerify | undefined;
  let failure: VerifyLine['error'];
  await ctx.api().getLines('/api/audit/verify', { ...query, progress: 'ndjson' }, (value) => {
    const line = (value ?? {}) as VerifyLine;
    const p = line.progress;
    if (p && p.phase === 'done') {
      if (shown) println(io.stderr, ctx.t('audit.rate', { events: count(p.done), seconds: p.seconds.toFixed(1), rate: count(p.perSecond) }));
    } else if (p) bar(p.done, p.total, ctx.t(p.phase === 'log' ? 'audit.progressLog' : 'audit.progressChains', { rate: count(p.perSecond) }));
    else if (line.error) failure = line.error;
    else if (line.result) result = line.result;
    // A server without streaming answers the result alone.
    else if (typeof (value as AuditVerify | null)?.ok === 'boolean') result = value as AuditVerify;
  });
  if (failure) throw new CliFailure([`error ${failure.error}: ${failure.message}`]);
  if (!result) throw new CliFailure(['error: the API ended the verification without a result']);
  return result;
}
