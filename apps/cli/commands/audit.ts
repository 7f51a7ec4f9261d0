import type { Command } from 'commander';
import { CliFailure, println, printJson, type CliIo } from '../io';
import { contextOf } from './context';
import type { AuditVerify, ReplayResults } from './types';
import { table } from '../format';

export function registerAuditCommands(program: Command, io: CliIo): void {
  const audit = program.command('audit').description('the audit trail (auditor)');
  audit
    .command('verify')
    .description('recompute the audit hash chain; exit code 1 when it is broken')
    .action(async (_opts: unknown, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const r = await ctx.api().get<AuditVerify>('/api/audit/verify');
      if (ctx.json) printJson(io, r);
      else if (r.ok) println(io.stdout, `audit chain ok: ${r.checked} events checked`);
      if (!r.ok) {
        const at = r.firstBrokenSeq === undefined ? 'at an unknown event' : `at seq ${r.firstBrokenSeq}`;
        throw new CliFailure([`error audit_chain_broken: the audit chain is broken ${at} (${r.checked} events checked)`]);
      }
    });

  program
    .command('replay')
    .description("replay workflows' histories against the current workflow code (auditor); exit code 1 when one fails")
    .argument('[workflowIds...]', 'the workflows to replay')
    .option('--query <filter>', 'replay the workflows this filter selects')
    .action(async (workflowIds: string[], opts: { query?: string }, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      const body = { workflowIds: workflowIds.length ? workflowIds : undefined, query: opts.query };
      const r = await ctx.api().post<ReplayResults>('/api/audit/replay', body);
      const failed = r.results.filter((x) => !x.ok);
      if (ctx.json) printJson(io, r);
      else if (r.results.length === 0) println(io.stdout, 'nothing to replay');
      else {
        const rows = r.results.map((x) => [x.workflowId, x.ok ? 'ok' : 'FAILED', x.error ?? '']);
        for (const line of table(['WORKFLOW ID', 'REPLAY', 'ERROR'], rows)) println(io.stdout, line);
      }
      if (failed.length > 0) {
        throw new CliFailure([`error replay_failed: ${failed.length} of ${r.results.length} workflows did not replay: ${failed.map((x) => x.workflowId).join(', ')}`]);
      }
    });
}
