/** The bench's plumbing: its own databases, bench companies, fresh applicants, stage notifications, CPU clocks. */
import { readdirSync, readFileSync } from 'node:fs';
import { Client } from 'pg';
import { migrate } from '../infra/db/migrate';
import { dropDatabase, ensureDatabase, quoteIdentifier } from '../infra/db/postgres';
import { seedDemoData } from '../infra/seed/seed';
import { createPool, withTransaction } from '../libs/db/pool';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { businessIdCheckDigit } from '../libs/domain/business-id';
import type { OnboardingInput } from '../libs/domain/schemas';

export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Companies each arm spreads its onboardings over, so no single share register or notice list dominates. */
export const BENCH_COMPANIES = 20;

/** n-th valid business ID in a block of its own (bench IDs start at 7xxxxxx; demo IDs use 9xxxxxx, tests 8xxxxxx). */
export function benchBusinessId(block: number, n: number): string {
  for (let k = block * 100_000 + n * 3; ; k++) {
    const digits = String(7_000_000 + k).padStart(7, '0');
    const check = businessIdCheckDigit(digits);
    if (check !== null) return `${digits}-${check}`;
  }
}

export function companyId(i: number): string {
  return benchBusinessId(0, i);
}

/** A migrated, seeded template database (demo data + the bench companies, each with three shareholders). */
export async function createTemplate(adminUrl: string, name: string): Promise<string> {
  const url = withDatabase(adminUrl, name);
  await dropDatabase(url);
  await ensureDatabase(url);
  await migrate(url);
  const pool = createPool(url, 2);
  try {
    await seedDemoData(pool);
    const registry = new RegistryRepository();
    await withTransaction(pool, async (tx) => {
      for (let i = 0; i < BENCH_COMPANIES; i++) {
        const id = companyId(i);
        await registry.upsertOrganisation(tx, { businessId: id, name: `Bench Oy ${i}`, kind: 'company', region: null, validFrom: '2000-01-01' });
        await registry.ensureCompany(tx, id, 100_00);
        for (let h = 0; h < 3; h++) {
          const holder = benchBusinessId(1, i * 3 + h);
          await registry.upsertOrganisation(tx, { businessId: holder, name: `Bench holder ${i}/${h}`, kind: 'municipality', region: null, validFrom: '2000-01-01' });
          await registry.insertHolding(tx, { companyId: id, holderId: holder, firstNo: h * 10 + 1, lastNo: h * 10 + 10, acquiredOn: '2000-01-01', workflowId: 'bench-seed', step: `${id}/${h}` });
        }
        await registry.setSharesIssued(tx, id, 30);
      }
    });
  } finally {
    await pool.end();
  }
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`ALTER DATABASE ${quoteIdentifier(name)} WITH IS_TEMPLATE true`);
  } finally {
    await admin.end();
  }
  return url;
}

export async function cloneDatabase(adminUrl: string, template: string, name: string): Promise<string> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(name)} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${quoteIdentifier(name)} TEMPLATE ${quoteIdentifier(template)}`);
  } finally {
    await admin.end();
  }
  return withDatabase(adminUrl, name);
}

export async function dropDatabases(adminUrl: string, names: string[], templates: string[] = []): Promise<void> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    for (const t of templates) await admin.query(`ALTER DATABASE ${quoteIdentifier(t)} WITH IS_TEMPLATE false`).catch(() => undefined);
    for (const n of [...names, ...templates]) await admin.query(`DROP DATABASE IF EXISTS ${quoteIdentifier(n)} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

export type CommitCount = { commits: number; sessions: number };

/**
 * Committed transactions and sessions of a database so far (pg_stat_database; a closed backend has
 * flushed its counts). Each new connection commits one transaction of its own at start-up, which is
 * connection churn rather than work, so the bench reports commits less sessions.
 */
export async function commitsOf(adminUrl: string, database: string): Promise<CommitCount> {
  const admin = new Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_stat_clear_snapshot()');
    const r = await admin.query<{ commits: string; sessions: string }>(
      'SELECT xact_commit AS commits, sessions FROM pg_stat_database WHERE datname = $1', [database],
    );
    return { commits: Number(r.rows[0]?.commits ?? NaN), sessions: Number(r.rows[0]?.sessions ?? NaN) };
  } finally {
    await admin.end();
  }
}

export function commitsSince(before: CommitCount, after: CommitCount): CommitCount {
  return { commits: after.commits - before.commits, sessions: after.sessions - before.sessions };
}

/** The n-th onboarding application of an arm: a fresh association applying to one of the bench companies. */
export function application(arm: number, n: number): OnboardingInput {
  const applicant = benchBusinessId(10 + arm, n);
  return {
    company: companyId(n % BENCH_COMPANIES),
    applicant: { name: `Bench yhdistys ${arm}/${n}`, businessId: applicant, kind: 'association' },
    shares: 10,
    pricePerShareCents: 100_00,
    // No reminders and no board deadline: each waiting stage has one deadline timer, in every arm alike.
    deadlines: { subscription: '30 days', payment: '30 days', reminders: [] },
  };
}

/**
 * Waits for a run's projection to reach a stage, woken by the tracking write's pg_notify (the API's live
 * stream uses the same signal), so the drivers send each message as soon as the workflow accepts it.
 * Counts its own statements and the notifications it is sent: PostgreSQL reads the notification queue
 * of an idle listener in a transaction of its own, so each delivery can commit one. Both are the
 * bench's, not the arm's, and are subtracted from the arm's commits (an upper bound for deliveries,
 * which may share one read).
 */
export class StageWaiter {
  statements = 0;
  notifications = 0;
  private readonly stopped = new Set<string>();
  private queue: Promise<unknown> = Promise.resolve();
  private readonly waiting = new Map<string, Array<{ stage: string; resolve: () => void; reject: (e: Error) => void }>>();
  private constructor(private readonly client: Client) {}

  static async open(url: string): Promise<StageWaiter> {
    const client = new Client({ connectionString: url, application_name: 'fuusio-bench-waiter' });
    await client.connect();
    const waiter = new StageWaiter(client);
    client.on('notification', (n) => {
      waiter.notifications += 1;
      if (n.payload && waiter.waiting.has(n.payload)) void waiter.check(n.payload);
    });
    await client.query('LISTEN fuusio_progress');
    waiter.statements += 1;
    return waiter;
  }

  waitFor(workflowId: string, stage: string, timeoutMs = 120_000): Promise<void> {
    if (this.stopped.has(workflowId)) return Promise.reject(new Error(`${workflowId}: stopped`));
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${workflowId} did not reach ${stage} in ${timeoutMs} ms`)), timeoutMs);
      const list = this.waiting.get(workflowId) ?? [];
      list.push({ stage, resolve: () => { clearTimeout(timer); resolve(); }, reject: (e) => { clearTimeout(timer); reject(e); } });
      this.waiting.set(workflowId, list);
      void this.check(workflowId);
    });
  }

  private async check(workflowId: string): Promise<void> {
    const r = await this.query<{ stage: string; status: string }>(
      'SELECT stage, status FROM process_runs WHERE workflow_id = $1', [workflowId],
    ).catch(() => ({ rows: [] as Array<{ stage: string; status: string }> }));
    const row = r.rows[0];
    const list = this.waiting.get(workflowId);
    if (!row || !list) return;
    const rest = list.filter((w) => {
      if (w.stage === row.stage && row.status === 'running') w.resolve();
      else if (row.status !== 'running') w.reject(new Error(`${workflowId} ended ${row.status} before ${w.stage}`));
      else return true;
      return false;
    });
    if (rest.length) this.waiting.set(workflowId, rest);
    else this.waiting.delete(workflowId);
  }

  /** Fails every wait on these workflows, now and later (the bench has stopped them). */
  stop(ids: string[], reason: string): void {
    for (const id of ids) {
      this.stopped.add(id);
      for (const w of this.waiting.get(id) ?? []) w.reject(new Error(`${id}: ${reason}`));
      this.waiting.delete(id);
    }
  }

  /**
   * Tracked state changes committed so far (audit events of the process, not of API calls), on this
   * connection so that it counts as the bench's statement. Each onboarding makes 16.
   */
  async trackedChanges(): Promise<number> {
    const r = await this.query<{ n: string }>(
      `SELECT count(*) AS n FROM audit_events WHERE action NOT LIKE 'api.%' AND action <> 'workflow.launched'`, [],
    );
    return Number(r.rows[0]?.n ?? 0);
  }

  /** One statement at a time on the one connection (pg no longer queues them for us), counted. */
  private query<R extends Record<string, unknown>>(sql: string, params: unknown[]): Promise<{ rows: R[] }> {
    this.statements += 1;
    const run = this.queue.then(() => this.client.query<R>(sql, params));
    this.queue = run.catch(() => undefined);
    return run;
  }

  close(): Promise<void> {
    return this.client.end();
  }
}

/**
 * CPU seconds (user + system) of a process and its threads from /proc, plus those of its children that
 * have exited (cutime, cstime: how the postmaster keeps the time of closed backends); 0 where /proc is missing.
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ').map(Number);
    // utime, stime, cutime, cstime in clock ticks (100 Hz)
    return ((fields[11] ?? 0) + (fields[12] ?? 0) + (fields[13] ?? 0) + (fields[14] ?? 0)) / 100;
  } catch {
    return 0;
  }
}

/** Process ids whose command name is `name` (e.g. every postgres backend), read from /proc. */
export function pidsNamed(name: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === name) out.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return Number(m?.[1] ?? 0) * 1024;
  } catch {
    return 0;
  }
}
