import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

/**
 * Every deployment the project describes runs the API and the workers as a login member of the
 * least-privileged role `fuusio_app`; only the migrations connect as the owner. docker-compose.yml is
 * the one described (README, "Configuration"): its services are read as Compose reads them (YAML with
 * merge keys), and the logins checked against the init script that creates them.
 */
const ROOT = join(__dirname, '..');
const APP_ROLE = 'fuusio_app';
const OWNER_ONLY = new Set(['migrate']);

type Service = { image?: string; build?: unknown; environment?: Record<string, string>; command?: string[] };
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
const initScripts = readdirSync(join(ROOT, 'infra/docker/postgres-init')).map((f) => readFileSync(join(ROOT, 'infra/docker/postgres-init', f), 'utf8')).join('\n');

/** The Fuusio services: those that run this repository's image. */
const fuusioServices = Object.entries(compose.services).filter(([, s]) => s.image === 'fuusio:latest' || s.build !== undefined);

function loginOf(service: Service): string | undefined {
  const url = service.environment?.DATABASE_URL;
  return url ? decodeURIComponent(new URL(url.replace(/\$\{[^}]*\}/g, 'x')).username) : undefined;
}

/** Logins the init script creates as members of the app role, and nothing more (no superuser, no CREATEROLE). */
function appLogins(): string[] {
  return [...initScripts.matchAll(/CREATE ROLE (\w+) LOGIN ([^;]*)IN ROLE (\w+)/g)]
    .filter((m) => m[3] === APP_ROLE && /NOSUPERUSER/.test(m[2]!) && /NOCREATEROLE/.test(m[2]!) && /NOCREATEDB/.test(m[2]!))
    .map((m) => m[1]!);
}

describe('docker-compose.yml connects the app as the least-privileged role', () => {
  test('the API and the workers are among the services, each with a DATABASE_URL', () => {
    const names = fuusioServices.map(([name]) => name);
    expect(names).toEqual(expect.arrayContaining(['api', 'worker', 'migrate']));
    for (const name of ['api', 'worker', 'migrate']) expect(loginOf(compose.services[name]!)).toBeDefined();
  });

  test('every Fuusio service but the migrations logs in as a member of fuusio_app', () => {
    const logins = appLogins();
    expect(logins).toEqual(['fuusio_api']);
    for (const [name, service] of fuusioServices.filter(([n]) => !OWNER_ONLY.has(n))) {
      expect([name, loginOf(service)]).toEqual([name, 'fuusio_api']);
    }
  });

  test('the migrations connect as the owner, the database superuser the postgres service creates', () => {
    const owner = compose.services.postgres?.environment?.POSTGRES_USER;
    expect(owner).toBe('fuusio');
    expect(loginOf(compose.services.migrate!)).toBe(owner);
    expect(appLogins()).not.toContain(owner);
  });

  // What fuusio_app may do is test/app-role.test.ts's to check, against a migrated database.
  test('fuusio_app is the role the migrations grant to', () => {
    const migrations = readdirSync(join(ROOT, 'infra/migrations')).filter((f) => /^\d{4}_.*\.sql$/.test(f))
      .map((f) => readFileSync(join(ROOT, 'infra/migrations', f), 'utf8')).join('\n');
    expect(migrations).toMatch(new RegExp(`GRANT [^;]+ TO ${APP_ROLE}`));
  });
});
