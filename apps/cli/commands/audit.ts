import type { Command } from 'commander';
import { CliFailure, println, printJson, type CliIo } from '../io';
import { contextOf } from './context';
import type { AuditVerify } from './types';

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
}
