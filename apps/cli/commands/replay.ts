import { historyFromJSON, type History } from '@temporalio/common/lib/proto-utils';
import type { Command } from 'commander';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { table } from '../format';
import { CliFailure, println, printJson, UsageError, type CliIo } from '../io';
import { isPlainObject } from '../options';
import { isTty, progressLine } from '../progress';
import { contextOf } from './context';
import type { ReplayResults } from './types';

type ReplayOptions = { query?: string; from?: string[]; progress?: boolean };

/** One replayed workflow: `error` is the replayer's message when it failed. */
export type ReplayOutcome = { workflowId: string; ok: boolean; error?: string; file?: string };

/** A history read from a file: an exported bundle (`fuusio history --out`) or a plain history JSON. */
export type LoadedHistory = { file: string; workflowId: string; history: History; events: number };

export function registerReplayCommand(program: Command, io: CliIo): void {
  program
    .command('replay')
    .description("replay workflows' histories against the current workflow code (auditor); exit code 1 when one fails")
    .argument('[workflowIds...]', 'the workflows to replay (through the API)')
    .option('--query <filter>', 'replay the workflows this list filter selects, e.g. "kind=onboarding&org=2229500-6" (through the API)')
    .option('--from <paths...>', 'replay exported bundles or history JSON files locally; a directory means every *.json in it')
    .option('--progress', 'show the progress bar on stderr even when it is not a terminal')
    .addHelpText(
      'after',
      '\nWith --from nothing is asked of the API or of a worker: the histories are replayed in this process against\n' +
        'the workflow code this CLI was built with. Each workflow is reported ok or NOT DETERMINISTIC with the first\n' +
        'diverging event.',
    )
    .action(async (workflowIds: string[], opts: ReplayOptions, cmd: Command) => {
      const ctx = contextOf(cmd, io);
      let results: ReplayOutcome[];
      let summary: string | undefined;
      if (opts.from?.length) {
        if (workflowIds.length || opts.query !== undefined) {
          throw new UsageError('give workflow ids or --query (replayed through the API), or --from (replayed locally), not both');
        }
        const histories = loadHistories(opts.from);
        const bar = progress(io, histories.length, opts.progress === true);
        const local = await replayLocally(histories, bar);
        results = local.results;
        const events = histories.reduce((n, h) => n + h.events, 0);
        const secs = (ms: number) => `${(ms / 1000).toFixed(1)}s`;
        summary = ctx.t('replay.summaryLocal', { count: histories.length, events, replay: secs(local.replayMs), bundle: secs(local.bundleMs) });
      } else {
        if (!workflowIds.length && opts.query === undefined) {
          throw new UsageError('give workflow ids, --query <filter> or --from <file-or-dir>');
        }
        const body = { workflowIds: workflowIds.length ? workflowIds : undefined, query: opts.query };
        results = (await ctx.api().post<ReplayResults>('/api/audit/replay', body)).results;
      }

      const failed = results.filter((x) => !x.ok);
      if (ctx.json) printJson(io, { results });
      else if (results.length === 0) println(io.stdout, ctx.t('replay.nothing'));
      else {
        const local = results.some((x) => x.file !== undefined);
        const rows = results.map((x) => [
          x.workflowId, ...(local ? [x.file ?? '-'] : []), x.ok ? 'ok' : ctx.t(verdict(x.error)), x.ok ? '' : firstLine(x.error),
        ]);
        const headers = ['id', ...(local ? ['file'] : []), 'replay', 'error'].map((k) => ctx.t(`replay.col.${k}`));
        for (const line of table(headers, rows)) println(io.stdout, line);
        if (summary) println(io.stdout, ctx.t('replay.outcome', { summary, ok: results.length - failed.length, failed: failed.length }));
      }
      if (failed.length > 0) {
        throw new CliFailure([
          `error replay_failed: ${failed.length} of ${results.length} workflows did not replay: ${failed.map((x) => x.workflowId).join(', ')}`,
        ]);
      }
    });
}

/** The text key of the verdict: `NOT DETERMINISTIC` for the SDK's DeterminismViolationError; `FAILED` for any other replay error. */
function verdict(error: string | undefined): string {
  return /nondetermini/i.test(error ?? '') ? 'replay.notDeterministic' : 'replay.failed';
}

/**
 * The error's first line. The SDK wraps the core's failure (`... Details: Workflow activation completion
 * failed: Failure { failure: Some(Failure { message: "[TMPRL1100] Nondeterminism error: <the diverging
 * event>", ... })) }`): the inner message is what names the diverging event, so that is what is shown.
 */
function firstLine(error: string | undefined): string {
  const line = (error ?? 'failed').split('\n')[0]?.trim() ?? '';
  const inner = /\bmessage: "((?:[^"\\]|\\.)*)"/.exec(line)?.[1];
  return inner === undefined ? line : inner.replace(/\\(["\\])/g, '$1');
}

/** The files named (a directory: its *.json files, sorted), each read as a bundle or a plain history. */
function loadHistories(paths: readonly string[]): LoadedHistory[] {
  const files: string[] = [];
  for (const p of paths) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new UsageError(`cannot read ${p}${code ? ` (${code})` : ''}`);
    }
    if (!isDir) {
      files.push(p);
      continue;
    }
    const inDir = readdirSync(p).filter((name) => name.endsWith('.json')).sort().map((name) => join(p, name));
    if (inDir.length === 0) throw new UsageError(`no *.json files in ${p}`);
    files.push(...inDir);
  }
  return files.map(loadHistory);
}

function loadHistory(file: string): LoadedHistory {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8')) as unknown;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new UsageError(`cannot read ${file}: ${code ?? (err instanceof Error ? err.message : String(err))}`);
  }
  const isBundle = isPlainObject(json) && isPlainObject(json.history) && Array.isArray(json.history.events);
  const raw = isBundle && isPlainObject(json) ? json.history : json;
  if (!isPlainObject(raw) || !Array.isArray(raw.events) || raw.events.length === 0) {
    throw new UsageError(`${file} is neither a bundle from \`fuusio history --out\` nor a Temporal history JSON (no events)`);
  }
  let history: History;
  try {
    history = historyFromJSON(raw);
  } catch (err) {
    throw new UsageError(`${file} is not a valid Temporal history: ${err instanceof Error ? err.message : String(err)}`);
  }
  const bundleId = isBundle && isPlainObject(json) && typeof json.workflowId === 'string' ? json.workflowId : undefined;
  const startedId = history.events?.[0]?.workflowExecutionStartedEventAttributes?.workflowId;
  const workflowId = bundleId ?? (startedId || basename(file, '.json'));
  return { file, workflowId, history, events: raw.events.length };
}

let workflowCode: Promise<string> | undefined;

/**
 * Replays in this process with a replay worker: no server, no worker, no token. Against `given` workflow
 * bundle code when there is one, else against the code this CLI was built with (bundled once per process).
 */
export async function replayLocally(
  histories: readonly LoadedHistory[],
  onDone: (done: number) => void,
  given?: string,
): Promise<{ results: ReplayOutcome[]; bundleMs: number; replayMs: number; code: string }> {
  const started = Date.now();
  // Loaded here, not at the top: the worker's native runtime and bundler are needed by this command only.
  const { bundleWorkflowCode, DefaultLogger, Runtime, Worker } = await import('@temporalio/worker');
  const { workflowsPath } = await import('../../../libs/temporal/workflows-path');
  try {
    // The SDK logs to stderr by default, and its core warns of every divergence: the report says that already.
    Runtime.install({
      logger: new DefaultLogger('ERROR'),
      telemetryOptions: { logging: { filter: { core: 'ERROR', other: 'ERROR' }, forward: {} } },
    });
  } catch {
    // already installed in this process (e.g. under a test runner): keep that one
  }
  const quiet = () => undefined;
  // Bundled once per process: bundling takes seconds, replaying a history milliseconds.
  if (given === undefined) {
    workflowCode ??= bundleWorkflowCode({
      workflowsPath: workflowsPath(),
      logger: { log: quiet, trace: quiet, debug: quiet, info: quiet, warn: quiet, error: quiet },
    }).then((b) => b.code);
  }
  const bundled = given === undefined ? workflowCode! : Promise.resolve(given);
  const code = await bundled.catch((err: unknown) => {
    if (workflowCode === bundled) workflowCode = undefined; // a failed bundle is not kept
    throw new CliFailure([`error: cannot bundle the workflow code: ${err instanceof Error ? err.message : String(err)}`]);
  });
  const bundledAt = Date.now();
  const results: ReplayOutcome[] = [];
  // The replayer takes one history at a time and answers in order, so results line up with the files.
  const replays = Worker.runReplayHistories(
    { workflowBundle: { code } },
    histories.map((h) => ({ workflowId: h.workflowId, history: h.history })),
  );
  for await (const r of replays) {
    const source = histories[results.length];
    const file = source?.file;
    results.push(r.error ? { workflowId: r.workflowId, ok: false, error: r.error.message, file } : { workflowId: r.workflowId, ok: true, file });
    onDone(results.length);
  }
  return { results, bundleMs: bundledAt - started, replayMs: Date.now() - bundledAt, code };
}

/** The replay's bar: shown on a terminal for more than one history, or when --progress asks for it. */
function progress(io: CliIo, total: number, forced: boolean): (done: number) => void {
  const line = progressLine(io, forced || (isTty(io) && total > 1));
  line(0, total);
  return (done) => line(done, total);
}
