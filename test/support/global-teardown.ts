import { rmSync } from 'node:fs';
import { Client } from 'pg';
import { type PostgresServer, quoteIdentifier } from '../../infra/db/postgres';
import type { DevServer } from '../../infra/temporal/provision';

export default async function globalTeardown(): Promise<void> {
  const g = globalThis as Record<string, unknown>;
  const template = g.__fuusioTemplate as { adminUrl: string; templateName: string } | undefined;
  if (template) {
    const admin = new Client({ connectionString: template.adminUrl });
    await admin.connect();
    await admin.query(`ALTER DATABASE ${quoteIdentifier(template.templateName)} WITH IS_TEMPLATE false`);
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(template.templateName)} WITH (FORCE)`);
    await admin.end();
  }
  await (g.__fuusioTemporal as DevServer | undefined)?.stop();
  const dataDir = g.__fuusioTemporalDataDir as string | undefined;
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  const postgres = g.__fuusioPostgres as PostgresServer | undefined;
  if (postgres?.embedded) {
    await postgres.stop();
    const pgDir = g.__fuusioPostgresDataDir as string | undefined;
    if (pgDir) rmSync(pgDir, { recursive: true, force: true });
  }
}
