import { execFile } from 'node:child_process';
import { constants as fsConstants, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

// Shared by everything that provisions a tool for the project (the Temporal CLI, an embedded
// PostgreSQL, a browser): run a command and report its tail on failure, look on PATH, and take a
// lock so that parallel test workers do not install the same thing twice.

const execFileAsync = promisify(execFile);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export type Log = (msg: string) => void;

export interface RunOptions {
  cwd?: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion; on failure the error carries the last lines it printed. */
export async function runLogged(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  try {
    const { stdout } = await execFileAsync(file, args, { maxBuffer: 16 * 1024 * 1024, ...opts });
    return stdout;
  } catch (err) {
    const e = err as { stderr?: string; stdout?: string };
    const output = `${e.stderr ?? ''}${e.stdout ?? ''}`.trim().split('\n').slice(-10).join('\n');
    throw new Error(`${file} ${args.join(' ')} failed: ${errorMessage(err)}${output ? `\n${output}` : ''}`);
  }
}

export async function findOnPath(name: string): Promise<string | undefined> {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    const stat = await fs.stat(file);
    if (!stat.isFile()) return false;
    await fs.access(file, fsConstants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** A mkdir lock, because parallel test workers may all try to install the same thing. */
export async function withLock<T>(lockDir: string, fn: () => Promise<T>): Promise<T> {
  const staleMs = 10 * 60_000;
  await fs.mkdir(path.dirname(lockDir), { recursive: true });
  for (;;) {
    try {
      await fs.mkdir(lockDir);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const stat = await fs.stat(lockDir).catch(() => undefined);
      if (stat && Date.now() - stat.mtimeMs > staleMs) await fs.rm(lockDir, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await fn();
  } finally {
    await fs.rm(lockDir, { recursive: true, force: true });
  }
}

/** True when this process may install system packages: root, or passwordless sudo. */
export async function canActAsRoot(): Promise<boolean> {
  if (process.getuid?.() === 0) return true;
  try {
    await execFileAsync('sudo', ['-n', 'true']);
    return true;
  } catch {
    return false;
  }
}

/** Runs a command as root: directly when this process is root, else through passwordless sudo. */
export function runAsRoot(file: string, args: string[], opts: RunOptions = {}): Promise<string> {
  return process.getuid?.() === 0 ? runLogged(file, args, opts) : runLogged('sudo', ['-n', file, ...args], opts);
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
