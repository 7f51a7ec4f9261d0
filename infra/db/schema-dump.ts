import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { findProjectRoot } from '../temporal/provision';

export function schemaFile(): string {
  return join(findProjectRoot(), 'infra', 'migrations', 'schema.sql');
}

/** The schema as pg_dump prints it, less the lines that differ between servers and runs. */
export function dumpSchema(databaseUrl: string): string {
  const raw = execFileSync('pg_dump', ['--schema-only', '--no-owner', '--no-privileges', '--no-comments', databaseUrl], {
    encoding: 'utf8',
  });
  return raw
    .split('\n')
    .filter((line) => !line.startsWith('--') && !line.startsWith('SET ') && !line.startsWith('SELECT pg_catalog.set_config')
      && !line.startsWith('\\restrict') && !line.startsWith('\\unrestrict'))
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim() + '\n';
}
