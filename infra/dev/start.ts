import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { loadConfig } from '../../libs/config/config';
import { createPool } from '../../libs/db/pool';
import { createTokenWithAudit } from '../../libs/db/repositories/api-audit';
import { databaseUrlOn, ensureDatabase, resolvePostgresServer } from '../db/postgres';
import { migrate } from '../db/migrate';
import { startMailDev } from './maildev';
import { KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, SOCOM_BUSINESS_ID } from '../seed/demo-data';
import { seedConsolidationDemo } from '../seed/demo-consolidation';
import { seedDemoPeople } from '../seed/demo-people';
import { seedDemoPortfolio } from '../seed/demo-portfolio';
import { seedDemoProjects, seedRunningDemoProject } from '../seed/demo-projects';
import { helsinkiDate } from '../../libs/domain/helsinki-time';
import { DEMO_SHARE_PRICE_CENTS, seedDemoData } from '../seed/seed';
import { ensureDevServer, findProjectRoot } from '../temporal/provision';
import { waitForHttp } from '../provision/net';

const say = (msg: string) => console.log(`[fuusio] ${msg}`);

/** Where `npm start` runs its embedded PostgreSQL when the machine has none (a fixed port, so a restart finds its data). */
const EMBEDDED_POSTGRES_PORT = 54329;

/**
 * `npm start`: whatever is missing is started (PostgreSQL, Temporal dev server), the schema is migrated,
 * demo data is loaded, then the worker and the API run as child processes until Ctrl-C.
 */
// What this process started, stopped in reverse order on a signal, a failure or a child's exit.
const cleanup: (() => Promise<void>)[] = [];
const children: ChildProcess[] = [];
let stopping = false;

async function stopAll(code: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // The servers started detached are unref'd: without this, the event loop could run dry and the process end
  // half-way through the cleanup, leaving the Temporal dev server running (seen once after `npm start` got SIGTERM).
  setInterval(() => undefined, 1000);
  for (const child of children) child.kill('SIGTERM');
  await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null || c.signalCode !== null ? r(null) : c.once('exit', r)))));
  for (const step of cleanup.reverse()) await step().catch((err: Error) => say(err.message));
  process.exit(code);
}

async function main(): Promise<void> {
  // Registered first: a SIGTERM at any moment (a supervisor, `timeout`) stops whatever has been started so far.
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      say(`${signal}: stopping`);
      void stopAll(0);
    });
  }

  // DATABASE_URL wins; else the machine's PostgreSQL on 5432; else an embedded one under .fuusio/postgres/.
  const postgres = await resolvePostgresServer({ explicitUrl: process.env.DATABASE_URL, embeddedPort: EMBEDDED_POSTGRES_PORT, log: say });
  cleanup.push(postgres.stop);
  if (!process.env.DATABASE_URL) process.env.DATABASE_URL = databaseUrlOn(postgres.adminUrl, 'fuusio');
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl, say);
  const applied = await migrate(config.databaseUrl, say);
  say(applied.length ? `migrated: ${applied.join(', ')}` : 'schema is up to date');
  const temporal = await ensureDevServer({ address: config.temporal.address, namespaces: [config.temporal.namespace], log: say });
  cleanup.push(temporal.stop);

  // A local mail catcher, so the mails the demo sends can be read (unless SMTP_URL names a real server).
  let mailUrl = 'SMTP_URL is set: mails go there';
  if (!process.env.SMTP_URL) {
    const mail = await startMailDev({ smtpPort: 1025, webPort: 1080 });
    cleanup.push(mail.stop);
    process.env.SMTP_URL = mail.smtpUrl;
    mailUrl = `${mail.webUrl}  (MailDev; SMTP ${mail.smtpUrl})`;
  }

  // The demo's "today": every seeded date (the consolidation's effective date, the running project's periods) counts from it.
  const today = new Date();
  const pool = createPool(config.databaseUrl, 2);
  const seeded = await seedDemoData(pool);
  const projects = await seedDemoProjects(pool);
  const running = await seedRunningDemoProject(pool, helsinkiDate(today));
  await seedConsolidationDemo(pool);
  say(`demo data: ${seeded.organisations} organisations, ${seeded.shareholders} Socom shareholders, ${projects.projects} ESR project phases (Sokra), a running project with period ${running.overduePeriod}'s report overdue`);
  const demoTokens: Record<string, string> = {};
  for (const role of ['admin', 'manager', 'auditor'] as const) {
    demoTokens[role] = (await createTokenWithAudit(pool, { name: `demo-${role}`, role }, { actor: 'system:npm-start' })).token;
  }
  const people = await seedDemoPeople(pool);
  say(`demo people: ${people.people} (Socom's board, finance, the Uusimaa bodies, funders' contacts)`);
  // A few people's own tokens: their inbox (fuusio inbox) shows what waits for each of them.
  for (const personId of DEMO_PERSON_TOKENS) {
    demoTokens[personId] = (await createTokenWithAudit(pool, { name: `demo-${personId}`, role: 'manager', personId }, { actor: 'system:npm-start' })).token;
  }
  await pool.end();

  const root = findProjectRoot();
  for (const app of ['worker', 'api']) {
    const child = spawn(process.execPath, [join(root, 'dist', 'apps', app, 'main.js')], { stdio: 'inherit', env: process.env });
    child.once('exit', (code) => {
      if (!stopping) {
        say(`${app} exited with code ${code}; stopping everything`);
        void stopAll(code ?? 1);
      }
    });
    children.push(child);
  }

  const base = `http://${config.http.host}:${config.http.port}`;
  await waitForHttp(`${base}/readyz`);
  await launchDemoOnboarding(base, demoTokens.admin as string);
  // A portfolio that did not seed fully is reported, not fatal: the system itself runs.
  await seedDemoPortfolio({ baseUrl: base, token: demoTokens.admin as string }, { today }).then(
    (p) => say(`demo portfolio: ${p.consolidation} in its decision chain, onboardings at ${Object.keys(p.onboardings).join(', ')}${p.alreadyThere.length ? ` (${p.alreadyThere.length} were there already)` : ''}`),
    (err: Error) => say(`demo portfolio not complete: ${err.message}`),
  );
  const uiPort = Number(temporal.address.split(':').pop()) + 1000;
  console.log(`
Fuusio is running.
  Dashboard  ${base}/  (sign in with a token below)
  API        ${base}/api
  API docs   ${base}/api/docs
  Mail       ${mailUrl}
  Temporal   ${temporal.address} (namespace ${config.temporal.namespace})${temporal.started ? `, UI http://127.0.0.1:${uiPort}` : ''}
  Database   ${redactPassword(config.databaseUrl)}${postgres.embedded ? ' (embedded; export DATABASE_URL=… for the CLI)' : ''}
Demo tokens (shown once; use as "Authorization: Bearer <token>" or FUUSIO_TOKEN for the CLI):
  admin      ${demoTokens.admin}
  manager    ${demoTokens.manager}
  auditor    ${demoTokens.auditor}
People's tokens (manager role; \`npm run fuusio -- inbox\` shows what waits for each):
${DEMO_PERSON_TOKENS.map((p) => `  ${p.padEnd(16)} ${demoTokens[p]}`).join('\n')}
Try:  FUUSIO_TOKEN=${demoTokens.manager} npm run fuusio -- list
Press Ctrl-C to stop.`);
}

/** Board members 1–3 decide (with a quorum of three), the two finance officers record and confirm payments. */
const DEMO_PERSON_TOKENS = ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-finance-1', 'socom-finance-2'];

function redactPassword(url: string): string {
  const u = new URL(url);
  if (u.password) u.password = '***';
  return u.toString();
}

/** The demo's own process: the Kymenlaakso wellbeing services county applying for Socom shares (as in 2023). */
async function launchDemoOnboarding(base: string, token: string): Promise<void> {
  const res = await fetch(`${base}/api/workflows/onboarding`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      company: SOCOM_BUSINESS_ID,
      applicant: { name: 'Kymenlaakson hyvinvointialue', businessId: KYMENLAAKSO_WELLBEING_COUNTY_BUSINESS_ID, kind: 'wellbeing-county', region: 'Kymenlaakso' },
      shares: 20,
      pricePerShareCents: DEMO_SHARE_PRICE_CENTS,
      // Three of the five board members in the directory decide; each payment is recorded and confirmed by two people.
      board: { quorum: 3 },
      fourEyes: true,
    }),
  });
  const body = (await res.json()) as { workflowId?: string; error?: string };
  if (res.status === 201) say(`demo onboarding launched: ${body.workflowId}`);
  else if (res.status === 409) say('demo onboarding already exists');
  else say(`demo onboarding was not launched: ${res.status} ${body.error ?? ''}`);
}

main().catch((err: Error) => {
  console.error(`[fuusio] start failed: ${err.message}`);
  void stopAll(1);
});
