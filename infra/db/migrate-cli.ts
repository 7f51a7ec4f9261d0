import { writeFileSync } from 'node:fs';
import { loadConfig } from '../../libs/config/config';
import { ensureDatabase, ensurePostgresRunning } from './postgres';
import { migrate } from './migrate';
import { dumpSchema, schemaFile } from './schema-dump';

/** `npm run migrate [-- --dump-schema]`: applies migrations to DATABASE_URL, optionally rewrites schema.sql. */
async function main(): Promise<void> {
  const { databaseUrl } = loadConfig();
  await ensurePostgresRunning(databaseUrl);
  await ensureDatabase(databaseUrl);
  const applied = await migrate(databaseUrl, (m) => console.log(m));
  console.log(applied.length ? `${applied.length} migration(s) applied` : 'schema is up to date');
  if (process.argv.includes('--dump-schema')) {
    writeFileSync(schemaFile(), dumpSchema(databaseUrl));
    console.log(`wrote ${schemaFile()}`);
  }
}

main().catch((err: Error) => {
  console.error(`migrate: ${err.message}`);
  process.exit(1);
});
