import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { findProjectRoot } from '../temporal/provision';

// Held for the whole run, so two processes starting together apply each migration once.
const MIGRATION_LOCK = 4_242_000;
const FILE_PATTERN = /^(\d{4})_[a-z0-9_]+\.sql$/;

export type Migration = { version: number; name: string; sql: string; checksum: string };

export function migrationsDir(): string {
  return join(findProjectRoot(), 'infra', 'migrations');
}

/** Reads the numbered files; refuses a gap or a repeated number, since either means a lost migration. */
export function readMigrations(dir = migrationsDir()): Migration[] {
  const files = readdirSync(dir).filter((f) => FILE_PATTERN.test(f)).sort();
  return files.map((name, index) => {
    const version = Number(FILE_PATTERN.exec(name)?.[1]);
    if (version !== index + 1) throw new Error(`migration ${name} breaks the numbering: expected ${String(index + 1).padStart(4, '0')}_…`);
    const sql = readFileSync(join(dir, name), 'utf8');
    return { version, name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
  });
}

/** Applies the pending migrations in order, each in its own transaction; returns the names applied. */
export async function migrate(databaseUrl: string, log: (msg: string) => void = () => undefined): Promise<string[]> {
  const migrations = readMigrations();
  const client = new Client({ connectionString: databaseUrl, application_name: 'fuusio-migrate' });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK]);
    await client.query(`CREATE TABLE IF NOT EXISTS schema_migrations (
      version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`);
    const applied = await client.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    for (const row of applied.rows) {
      const known = migrations[row.version - 1];
      if (!known) throw new Error(`the database has migration ${row.name}, which this code does not know`);
      if (known.checksum !== row.checksum) throw new Error(`migration ${row.name} was changed after it was applied; add a new migration instead`);
    }
    const done: string[] = [];
    for (const m of migrations.slice(applied.rows.length)) {
      await client.query('BEGIN');
      try {
        await client.query(m.sql);
        await client.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [m.version, m.name, m.checksum]);
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${m.name} failed: ${(err as Error).message}`, { cause: err });
      }
      log(`applied ${m.name}`);
      done.push(m.name);
    }
    return done;
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK]).catch(() => undefined);
    await client.end();
  }
}
