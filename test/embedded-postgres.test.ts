import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../infra/db/migrate';
import { databaseUrlOn, ensureDatabase, resolvePostgresServer } from '../infra/db/postgres';
import { findProjectRoot } from '../infra/temporal/provision';
import { freePort } from '../infra/provision/net';

// A machine whose PostgreSQL is stopped: nothing listens where the project looks first, no URL is given,
// so `npm start` and `npm test` run the project-local embedded server instead. Proven on a real server:
// started from the npm package's binaries, migrated with the project's migrations, stopped again.

const answers = async (url: string) => {
  const client = new Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]?.v;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
};

it('with no PostgreSQL answering and no URL, an embedded server is started, migrated and stopped', async () => {
  const stopped = await freePort(); // where "the machine's PostgreSQL" would be: nothing listens
  const port = await freePort();
  const dataDir = join(findProjectRoot(), '.fuusio', 'test', `embedded-${process.pid}`);
  const said: string[] = [];
  const server = await resolvePostgresServer({
    defaultUrl: `postgres://postgres@127.0.0.1:${stopped}/postgres`, embeddedPort: port, embeddedDataDir: dataDir, log: (m) => said.push(m),
  });
  try {
    expect(server.embedded).toBe(true);
    expect(said.join('\n')).toContain('using an embedded PostgreSQL');
    expect(await answers(server.adminUrl)).toMatch(/^18\./);

    const url = databaseUrlOn(server.adminUrl, 'fuusio_embedded');
    await ensureDatabase(url);
    const applied = await migrate(url);
    expect(applied.length).toBeGreaterThan(5);
    const client = new Client({ connectionString: url });
    await client.connect();
    const tables = await client.query<{ n: string }>("SELECT count(*) AS n FROM information_schema.tables WHERE table_name IN ('audit_events', 'process_runs')");
    await client.end();
    expect(Number(tables.rows[0]?.n)).toBe(2);

    // A second start (another `npm start`) finds it running and reuses it instead of starting another.
    const again = await resolvePostgresServer({ defaultUrl: `postgres://postgres@127.0.0.1:${stopped}/postgres`, embeddedPort: port, embeddedDataDir: dataDir });
    expect([again.embedded, again.adminUrl]).toEqual([false, server.adminUrl]);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
  expect(await answers(server.adminUrl)).toBeUndefined();
}, 300_000);
