import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProjectRoot } from '../temporal/provision';
import type { FuzzData } from './fuzz-data';

/** The Schemathesis release the fuzz runs are written against (its CLI flags and JSON report). */
export const SCHEMATHESIS_VERSION = '4.32.5';

type Log = (msg: string) => void;

/**
 * The `schemathesis` CLI of a project-local virtual environment (`.fuusio/fuzz-venv`), installed from
 * PyPI on first use; `SCHEMATHESIS_CLI` points to another one.
 */
export function ensureSchemathesis(log: Log = () => undefined): string {
  if (process.env.SCHEMATHESIS_CLI) return process.env.SCHEMATHESIS_CLI;
  const venv = join(findProjectRoot(), '.fuusio', 'fuzz-venv');
  const cli = join(venv, 'bin', 'schemathesis');
  if (existsSync(cli) && installedVersion(cli) === SCHEMATHESIS_VERSION) return cli;
  log(`installing schemathesis ${SCHEMATHESIS_VERSION} from PyPI into ${venv}`);
  run('python3', ['-m', 'venv', venv], 'python3 with the venv module is needed (Debian: apt-get install python3-venv)');
  run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `schemathesis==${SCHEMATHESIS_VERSION}`],
    'PyPI must be within reach to install schemathesis');
  return cli;
}

function installedVersion(cli: string): string | null {
  const r = spawnSync(cli, ['--version'], { encoding: 'utf8' });
  return r.status === 0 ? (/(\d+\.\d+\.\d+)/.exec(r.stdout)?.[1] ?? null) : null;
}

function run(cmd: string, args: string[], hint: string): void {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.error?.message ?? `exit ${r.status}`}): ${hint}`);
}

export type FuzzOptions = {
  baseUrl: string;
  data: FuzzData;
  /** Test cases per operation and phase (Schemathesis' --max-examples). */
  maxExamples: number;
  /** Where the JSON report goes. */
  reportDir: string;
  workers?: number;
  seed?: number;
  /** Paths left out, each with the reason it cannot be fuzzed. */
  exclude?: Record<string, string>;
  log?: Log;
};

export type FuzzFailure = { title: string; count: number; operations: string[] };

export type FuzzResult = {
  exitCode: number;
  /** Requests Schemathesis generated and sent. */
  generated: number;
  withFailures: number;
  failures: FuzzFailure[];
  errors: { title: string; count: number }[];
  operations: { selected: number; tested: number };
};

/** The checks of every fuzz run: no 5xx, and every documented answer as the document says. */
export const FUZZ_CHECKS = ['not_a_server_error', 'response_schema_conformance'];

/** Runs `schemathesis run` against the live API's own OpenAPI document and reads its JSON report. */
export async function runSchemathesis(opts: FuzzOptions): Promise<FuzzResult> {
  const cli = ensureSchemathesis(opts.log);
  mkdirSync(opts.reportDir, { recursive: true });
  const report = join(opts.reportDir, 'schemathesis.json');
  const config = join(opts.reportDir, 'schemathesis.toml');
  writeFileSync(config, fuzzConfig(opts.data), { mode: 0o600 });
  const args = [
    '--config-file', config,
    'run', `${opts.baseUrl}/api/docs/json`,
    '--url', opts.baseUrl,
    '--checks', FUZZ_CHECKS.join(','),
    '--max-examples', String(opts.maxExamples),
    '--phases', 'examples,coverage,fuzzing',
    '--workers', String(opts.workers ?? 2),
    '--request-timeout', '30',
    '--generation-database', 'none',
    // Hypothesis' health checks judge the generator's own speed, not the API: on a loaded two-core
    // machine "too_slow" failed a run whose every request had passed.
    '--suppress-health-check', 'all',
    '--report', 'json', '--report-json-path', report,
    '--no-color', '--output-truncate', 'true',
    ...(opts.seed === undefined ? [] : ['--seed', String(opts.seed)]),
    ...Object.keys(opts.exclude ?? {}).flatMap((path) => ['--exclude-path', path]),
  ];
  for (const [path, why] of Object.entries(opts.exclude ?? {})) opts.log?.(`not fuzzed: ${path} (${why})`);
  const exitCode = await new Promise<number>((resolve, reject) => {
    // The token stays out of the log: Schemathesis sanitises its own output, and we print no argv.
    const child = spawn(cli, args, { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, SCHEMATHESIS_TELEMETRY: 'false' } });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
  if (!existsSync(report)) throw new Error(`schemathesis exited with ${exitCode} and wrote no report`);
  const doc = JSON.parse(readFileSync(report, 'utf8')) as SchemathesisReport;
  return {
    exitCode,
    generated: doc.test_cases.generated,
    withFailures: doc.test_cases.with_failures,
    failures: doc.failures.map(({ title, count, operations }) => ({ title, count, operations })),
    errors: doc.errors,
    operations: { selected: doc.operations?.selected ?? 0, tested: doc.operations?.tested ?? 0 },
  };
}

/** How often a generated path parameter is swapped for a real id: often enough to reach the logic behind the 404. */
const REAL_ID_PROBABILITY = 0.5;

/**
 * The run's configuration: the admin token for every operation and the auditor's for the auditor-only
 * ones, and dictionaries of real ids the fuzzer mixes into the path parameters (and the erasure's
 * workflowId) so that requests reach the code behind "not found".
 */
export function fuzzConfig(data: FuzzData): string {
  const list = (values: string[]) => `[${values.map((v) => JSON.stringify(v)).join(', ')}]`;
  const bind = (key: string, dictionary: string) => `${JSON.stringify(key)} = { dictionary = "${dictionary}", probability = ${REAL_ID_PROBABILITY} }`;
  const auth = (token: string) => `headers = { Authorization = ${JSON.stringify(`Bearer ${token}`)} }`;
  const dictionaries: Record<string, string[]> = {
    workflows: data.workflowIds,
    organisations: data.businessIds,
    projects: [...data.projectCodes, ...data.workflowIds.filter((id) => id.startsWith('project:'))],
  };
  const bindings: { select: string; key: string; dictionary: string }[] = [
    { select: 'include-path-regex = "^/api/workflows/\\\\{id\\\\}"', key: 'path.id', dictionary: 'workflows' },
    { select: 'include-path = "/api/audit/erasures"', key: 'body.workflowId', dictionary: 'workflows' },
    { select: 'include-path-regex = "\\\\{businessId\\\\}"', key: 'path.businessId', dictionary: 'organisations' },
    { select: 'include-path = "/api/projects/{code}"', key: 'path.code', dictionary: 'projects' },
  ].filter((b) => dictionaries[b.dictionary]?.length);
  return [
    auth(data.adminToken),
    '',
    ...Object.entries(dictionaries).filter(([, values]) => values.length).map(([name, values]) => `[dictionaries.${name}]\nvalues = ${list(values)}`),
    '',
    ...bindings.flatMap((b) => ['[[operations]]', b.select, `parameters = { ${bind(b.key, b.dictionary)} }`, '']),
    '[[operations]]',
    'include-path = ["/api/audit/verify", "/api/audit/replay"]',
    auth(data.auditorToken),
    '',
  ].join('\n');
}

type SchemathesisReport = {
  test_cases: { generated: number; with_failures: number };
  failures: { title: string; count: number; operations: string[] }[];
  errors: { title: string; count: number }[];
  operations: { selected: number; tested: number } | null;
};

/** One line for a log: how many requests, how many failed, and which. */
export function describeFuzzResult(r: FuzzResult): string {
  const lines = [
    `schemathesis: ${r.generated} requests generated over ${r.operations.tested}/${r.operations.selected} operations; `
      + `${r.withFailures} with failures, ${r.errors.length} errors (exit ${r.exitCode})`,
    ...r.failures.map((f) => `  failure: ${f.title} ×${f.count} in ${f.operations.join(', ')}`),
    ...r.errors.map((e) => `  error: ${e.title} ×${e.count}`),
  ];
  return lines.join('\n');
}

/** The event stream never ends, so a request to it would only time out: it is left out of fuzzing. */
export const FUZZ_EXCLUDED_PATHS: Record<string, string> = {
  '/api/stream': 'Server-Sent Events: the answer never ends',
};
