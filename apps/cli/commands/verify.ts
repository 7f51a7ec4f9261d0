import { temporal } from '@temporalio/proto';
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import { standaloneVerifier, type BundleVerification } from '../../../libs/audit/standalone-verifier';
import { buildIdOfCode, buildIdOfHistory } from '../../../libs/temporal/build-id';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { contextOf } from './context';
import { replayLocally, type LoadedHistory } from './replay';

type VerifyOptions = { key?: string; replay?: boolean; workflowBundle?: string };
type ReplayVerdict = { checked: boolean; ok: boolean; buildId?: string; line: string };

export function registerVerifyCommand(program: Command, io: CliIo): void {
  program
    .command('verify')
    .description('verify an audit bundle (fuusio history <id> --bundle) without the Fuusio server; exit code 1 when it does not hold')
    .argument('<bundle>', 'the bundle file (format fuusio-audit-bundle/1, docs/audit-bundle.md)')
    .option('--key <key>', 'the published checkpoint key (64 hex digits, or a PEM file); default: the key the bundle carries')
    .option('--replay', "also replay the runs' histories against the workflow code (needs this project's packages)")
    .option('--workflow-bundle <file>', 'with --replay: the workflow bundle code to replay against; it must be the build the histories name')
    .addHelpText(
      'after',
      '\nThe hashes, the chain, the inclusion proofs, the checkpoint signature and the histories\' digests are checked by\n' +
        'tools/verify-bundle.cjs, the same file an auditor runs with `node` alone. --replay adds what that file cannot do.',
    )
    .action(async (file: string, opts: VerifyOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      if (opts.workflowBundle && !opts.replay) throw new UsageError('--workflow-bundle goes with --replay');
      const verifier = standaloneVerifier();
      let publishedKey: string | undefined;
      try {
        publishedKey = opts.key ? verifier.rawKeyFrom(opts.key) : undefined;
      } catch (err) {
        throw new UsageError(`--key: ${err instanceof Error ? err.message : String(err)}`);
      }
      let text: string;
      let code: string | undefined;
      try {
        text = readFileSync(file, 'utf8');
        if (opts.workflowBundle) code = readFileSync(opts.workflowBundle, 'utf8');
      } catch (err) {
        throw new UsageError(`cannot read ${(err as NodeJS.ErrnoException).path ?? file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
      const result = verifier.verifyText(text, { publishedKey });
      const replay: ReplayVerdict = !opts.replay
        ? { checked: false, ok: true, line: 'replay: not checked (add --replay)' }
        : result.ok ? await replayBundle(JSON.parse(text) as unknown, code) : { checked: false, ok: false, line: 'replay: not attempted (the bundle does not verify)' };
      const ok = result.ok && replay.ok;
      if (ctx.json) printJson(io, { ...result, ok, replay });
      else printReport(io, result, replay);
      if (!ok) throw new CliFailure([`error: ${file} does not verify`]);
    });
}

function printReport(io: CliIo, result: BundleVerification, replay: ReplayVerdict): void {
  for (const line of result.lines.filter((l) => !l.startsWith('replay:'))) println(io.stdout, line);
  println(io.stdout, replay.line);
  for (const note of result.notes) println(io.stdout, `note: ${note}`);
  if (!result.ok) println(io.stdout, `NOT VERIFIED: ${result.problem?.where}: ${result.problem?.reason}`);
  else println(io.stdout, replay.ok ? 'VERIFIED' : 'NOT VERIFIED: the histories do not replay');
}

/**
 * Replays each run's history (its verified protobuf bytes) against the workflow code: the file given,
 * which must be the build the histories name, or else this CLI's own code, said so when it is another build.
 */
async function replayBundle(bundle: unknown, given: string | undefined): Promise<ReplayVerdict> {
  const b = bundle as { workflowId: string; runs: { runId: string; history: string }[] };
  const histories: LoadedHistory[] = b.runs.map((run) => {
    const history = temporal.api.history.v1.History.decode(Buffer.from(run.history, 'base64'));
    return { file: run.runId, workflowId: b.workflowId, history, events: history.events.length };
  });
  if (histories.length === 0) return { checked: false, ok: true, line: 'replay: the bundle holds no history' };
  const named = [...new Set(histories.map((h) => buildIdOfHistory(h.history)).filter((id): id is string => id !== null))];
  const givenBuild = given === undefined ? undefined : buildIdOfCode(given);
  if (givenBuild && named.some((id) => id !== givenBuild)) {
    return { checked: false, ok: false, buildId: givenBuild, line: `replay: the workflow bundle given is build ${givenBuild}; the histories name ${named.join(', ')}` };
  }
  const { results, code } = await replayLocally(histories, () => undefined, given);
  const buildId = buildIdOfCode(code);
  const failed = results.filter((r) => !r.ok);
  const against = named.every((id) => id === buildId) ? `build ${buildId}, the one the histories name` : `this CLI's workflow code, build ${buildId}, not the one the histories name (${named.join(', ')})`;
  if (failed.length) {
    return { checked: true, ok: false, buildId, line: `replay: run ${failed.map((r) => r.file).join(', ')} did NOT replay against ${against}: ${failed[0]!.error?.split('\n')[0]}` };
  }
  return { checked: true, ok: true, buildId, line: `replay: ${results.length} run(s) replayed against ${against}: ok` };
}

