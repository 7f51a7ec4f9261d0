import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { Client } from 'pg';

const execFileAsync = promisify(execFile);

type Log = (msg: string) => void;
const noLog: Log = () => undefined;

const PG_CONFIG_DIR = '/etc/postgresql';
const START_TIMEOUT_MS = 30_000;
const DUPLICATE_DATABASE = '42P04';
// Two concurrent CREATE DATABASE of one name can also fail on pg_database's unique index.
const UNIQUE_VIOLATION = '23505';
const NOT_READY_CODES = new Set(['ECONNREFUSED', 'ENOENT', '57P03' /* the database system is starting up */]);

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Makes sure the server in the URL answers; starts the local Debian clusters if it refuses. */
export async function ensurePostgresRunning(databaseUrl: string, log: Log = noLog): Promise<void> {
  const adminUrl = maintenanceUrl(databaseUrl);
  const first = await tryConnect(adminUrl);
  if (first === undefined) return;
  if (!isNotReady(first) || !isLocal(databaseUrl)) {
    throw new Error(`cannot connect to PostgreSQL at ${describe(databaseUrl)}: ${first.message}`, { cause: first });
  }

  log(`PostgreSQL at ${describe(databaseUrl)} refused the connection; starting local clusters`);
  await startLocalClusters(log);

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    const err = await tryConnect(adminUrl);
    if (err === undefined) {
      log('PostgreSQL is up');
      return;
    }
    if (!isNotReady(err)) throw err;
    if (Date.now() > deadline) {
      throw new Error(`PostgreSQL at ${describe(databaseUrl)} did not answer within ${START_TIMEOUT_MS / 1000} s: ${err.message}`);
    }
    await sleep(250);
  }
}

/** Creates the database named in the URL unless it exists. */
export async function ensureDatabase(databaseUrl: string, log: Log = noLog): Promise<void> {
  const name = databaseName(databaseUrl);
  await withAdminClient(databaseUrl, async (client) => {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount) return;
    log(`creating database ${name}`);
    try {
      await client.query(`CREATE DATABASE ${quoteIdentifier(name)}`);
    } catch (err) {
      const code = (err as { code?: string }).code;
      if (code !== DUPLICATE_DATABASE && code !== UNIQUE_VIOLATION) throw err;
    }
  });
}

/** Drops the database named in the URL, disconnecting its sessions; no error if it is absent. */
export async function dropDatabase(databaseUrl: string, log: Log = noLog): Promise<void> {
  const name = databaseName(databaseUrl);
  await withAdminClient(databaseUrl, async (client) => {
    log(`dropping database ${name}`);
    await client.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
  });
}

export function quoteIdentifier(name: string): string {
  if (name.includes('\0')) throw new Error('identifier contains a NUL character');
  return `"${name.replace(/"/g, '""')}"`;
}

export function databaseName(databaseUrl: string): string {
  const name = decodeURIComponent(new URL(databaseUrl).pathname.replace(/^\//, ''));
  if (!name) throw new Error(`no database name in ${describe(databaseUrl)}`);
  return name;
}

/** The same server and credentials, but the `postgres` maintenance database. */
function maintenanceUrl(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  url.pathname = '/postgres';
  return url.toString();
}

async function withAdminClient<T>(databaseUrl: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: maintenanceUrl(databaseUrl) });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function tryConnect(connectionString: string): Promise<Error | undefined> {
  const client = new Client({ connectionString, connectionTimeoutMillis: 3000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (err) {
    // Not `instanceof Error`: errors from another realm (a jest sandbox) would lose their code.
    return typeof err === 'object' && err !== null && 'message' in err ? (err as Error) : new Error(String(err));
  } finally {
    await client.end().catch(() => undefined);
  }
}

function isNotReady(err: Error): boolean {
  const e = err as Error & { code?: string; errors?: Array<{ code?: string }> };
  // Node reports "localhost" refusals on both ::1 and 127.0.0.1 as an AggregateError.
  return NOT_READY_CODES.has(e.code ?? '') || (e.errors ?? []).some((inner) => NOT_READY_CODES.has(inner.code ?? ''));
}

function isLocal(databaseUrl: string): boolean {
  const url = new URL(databaseUrl);
  const socketHost = url.searchParams.get('host');
  if (socketHost?.startsWith('/')) return true;
  return ['', 'localhost', '127.0.0.1', '[::1]', '::1'].includes(url.hostname);
}

async function startLocalClusters(log: Log): Promise<void> {
  const versions = (await fs.readdir(PG_CONFIG_DIR).catch(() => [] as string[])).filter((v) => /^\d+(\.\d+)?$/.test(v));
  if (versions.length === 0) throw new Error(`PostgreSQL is not running and no clusters were found in ${PG_CONFIG_DIR}`);
  for (const version of versions) {
    log(`pg_ctlcluster ${version} main start`);
    try {
      await execFileAsync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start']);
    } catch {
      try {
        await execFileAsync('pg_ctlcluster', [version, 'main', 'start']);
      } catch (err) {
        // Already running, or another version; the connection poll decides whether we are done.
        const stderr = (err as { stderr?: string }).stderr?.trim();
        log(`pg_ctlcluster ${version} main start failed: ${stderr || (err as Error).message}`);
      }
    }
  }
}

/** The URL without its password, for messages. */
function describe(databaseUrl: string): string {
  const url = new URL(databaseUrl);
  if (url.password) url.password = '***';
  return url.toString();
}

/** The machine's default server, which the project uses unless told otherwise. */
export const DEFAULT_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface PostgresServer {
  /** Maintenance database URL of the server to use. */
  adminUrl: string;
  /** True when this process started an embedded server that `stop` stops. */
  embedded: boolean;
  stop(): Promise<void>;
}

export interface ResolveServerOptions {
  /** A URL the user gave (`DATABASE_URL`, `TEST_DATABASE_ADMIN_URL`): it always wins. */
  explicitUrl?: string;
  /** Port of the embedded server when one is needed. */
  embeddedPort: number;
  embeddedDataDir?: string;
  /** The server to look for first (default 127.0.0.1:5432); tests point it at a stopped one. */
  defaultUrl?: string;
  log?: Log;
}

/**
 * Which PostgreSQL to use: a URL the user gave; else the server on 127.0.0.1:5432 if it answers; else a
 * project-local embedded server (started here, or found already running on its port).
 */
export async function resolvePostgresServer(opts: ResolveServerOptions): Promise<PostgresServer> {
  const log = opts.log ?? noLog;
  const keep = (adminUrl: string): PostgresServer => ({ adminUrl, embedded: false, stop: async () => undefined });
  if (opts.explicitUrl) {
    await ensurePostgresRunning(opts.explicitUrl, log);
    return keep(maintenanceUrl(opts.explicitUrl));
  }
  const defaultUrl = opts.defaultUrl ?? DEFAULT_SERVER_URL;
  const refused = await tryConnect(defaultUrl);
  if (refused === undefined) return keep(defaultUrl);
  if (!isNotReady(refused)) {
    throw new Error(`PostgreSQL at ${describe(defaultUrl)} answers but refuses the connection (${refused.message}): `
      + 'set DATABASE_URL to a URL with working credentials, or stop that server to use an embedded one', { cause: refused });
  }
  const embeddedUrl = `postgres://postgres@127.0.0.1:${opts.embeddedPort}/postgres`;
  if ((await tryConnect(embeddedUrl)) === undefined) {
    log(`no PostgreSQL at ${describe(defaultUrl)}; reusing the embedded one on port ${opts.embeddedPort}`);
    return keep(embeddedUrl);
  }
  log(`no PostgreSQL answers at ${describe(defaultUrl)} and no URL was given: using an embedded PostgreSQL`);
  const { startEmbeddedPostgres } = await import('./embedded-postgres');
  const server = await startEmbeddedPostgres({ port: opts.embeddedPort, dataDir: opts.embeddedDataDir, log });
  return { adminUrl: server.adminUrl, embedded: true, stop: server.stop };
}

/** The same server as `adminUrl`, database `name`. */
export function databaseUrlOn(adminUrl: string, name: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(name)}`;
  return url.toString();
}
