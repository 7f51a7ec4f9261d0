/**
 * `npm run bench:list [-- --rows N] [--quick] [--pages N] [--keep]`
 *
 * Seeds a throwaway database with N process_runs rows (default 1,000,000), then times the run list query
 * exactly as the API runs it (RUN_LIST_SQL from ProcessRepository) for each filter: the first page and a
 * deep page (after --pages pages, default 50), with keyset paging and with the same SQL paged by OFFSET.
 * Prints median and p95 of the database's execution time (EXPLAIN ANALYZE) and of the client's round
 * trip, and writes the raw figures to .fuusio/bench/list-<timestamp>.json.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { migrate } from '../infra/db/migrate';
import { dropDatabase, ensureDatabase, ensurePostgresRunning } from '../infra/db/postgres';
import { findProjectRoot } from '../infra/temporal/provision';
import { ProcessRepository, RUN_LIST_SQL, runListParams, type RunListFilter } from '../libs/db/repositories/process.repository';

export type BenchOptions = {
  rows: number;
  quick: boolean;
  /** The deep page is the page after this many pages. */
  pages: number;
  limit: number;
  keep: boolean;
  /** Any database URL on the server (BENCH_DATABASE_URL); the bench creates and drops its own database `database`. */
  databaseUrl: string;
  database: string;
  /** Where the JSON goes; undefined: .fuusio/bench. */
  outDir?: string;
  print: (line: string) => void;
  progress: (line: string) => void;
};

export type Variant = 'keyset-first' | 'keyset-deep' | 'offset-first' | 'offset-deep';
export type Stats = { median: number; p95: number; samples: number[] };
export type Measurement = { filter: string; variant: Variant; rows: number; dbMs: Stats; clientMs: Stats; plan: string };
export type BenchResult = { rows: number; limit: number; pages: number; repetitions: number; seedMs: number; measurements: Measurement[]; file: string };

const VARIANTS: Variant[] = ['keyset-first', 'keyset-deep', 'offset-first', 'offset-deep'];

/** Each filter of the list, with a value that matches a realistic share of the seeded rows. */
export const FILTERS: Array<{ name: string; filter: Omit<RunListFilter, 'limit' | 'cursor' | 'now'> }> = [
  { name: 'none', filter: {} },
  { name: 'kind', filter: { kind: 'consolidation' } },
  { name: 'status', filter: { status: 'running' } },
  { name: 'org', filter: { org: orgId(7) } },
  { name: 'stage', filter: { stage: 'registration' } },
  { name: 'waitingFor', filter: { waitingFor: 'council' } },
  { name: 'overdue', filter: { overdue: true } },
  { name: 'q', filter: { q: 'Loviisa' } },
  // A term that names one run (part of a workflow id), as when pasting an id into the search box.
  { name: 'q-rare', filter: { q: ':123456' } },
];

// The OFFSET comparison: the same SQL without the keyset condition, paged by OFFSET instead.
const KEYSET_CONDITION = /\n\s*AND \(\$11::timestamptz IS NULL OR \(updated_at, workflow_id\) < \(\$11::timestamptz, \$12::text\)\)/;
export function offsetSql(sql = RUN_LIST_SQL): string {
  if (!KEYSET_CONDITION.test(sql) || !sql.includes('LIMIT $13')) {
    throw new Error('RUN_LIST_SQL changed shape: update offsetSql in bench/list.ts');
  }
  return sql.replace(KEYSET_CONDITION, '').replace('LIMIT $13', 'LIMIT $11 OFFSET $12');
}

export function parseArgs(argv: string[], env: NodeJS.ProcessEnv = process.env): BenchOptions {
  const value = (flag: string): string | undefined => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const int = (flag: string, fallback: number): number => {
    const v = value(flag);
    if (v === undefined) return fallback;
    const n = Number(v.replace(/_/g, ''));
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} wants a positive integer, not ${v}`);
    return n;
  };
  const url = env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
  const database = value('--database') ?? 'fuusio_bench_list';
  // The bench drops this database at the start and the end: never let it name a real one.
  if (!/bench/.test(database)) throw new Error(`--database ${database}: the name must contain "bench"`);
  const write = (s: string) => process.stderr.write(s);
  return {
    rows: int('--rows', 1_000_000),
    quick: argv.includes('--quick'),
    pages: int('--pages', 50),
    limit: int('--limit', 50),
    keep: argv.includes('--keep'),
    databaseUrl: url,
    database,
    print: (line) => process.stdout.write(`${line}\n`),
    progress: process.stderr.isTTY ? (line) => write(`\r\x1b[K${line}`) : (line) => write(`${line}\n`),
  };
}

export async function main(opts: BenchOptions): Promise<BenchResult> {
  const url = withDatabase(opts.databaseUrl, opts.database);
  await ensurePostgresRunning(url);
  await dropDatabase(url);
  await ensureDatabase(url);
  const client = new Client({ connectionString: url, application_name: 'fuusio-bench-list' });
  try {
    await migrate(url);
    await client.connect();
    const seedStarted = performance.now();
    await seed(client, opts);
    const seedMs = performance.now() - seedStarted;
    opts.progress(`seeded ${opts.rows.toLocaleString('en')} rows in ${(seedMs / 1000).toFixed(1)} s\n`);

    const warmup = opts.quick ? 1 : 3;
    const repetitions = opts.quick ? 5 : 30;
    const repo = new ProcessRepository();
    const offsetText = offsetSql();
    const measurements: Measurement[] = [];
    const total = FILTERS.length * VARIANTS.length;
    const now = new Date();
    for (const [fi, { name, filter: f }] of FILTERS.entries()) {
      const filter = { ...f, now };
      // The deep page's cursor comes from paging through the API's own query.
      let cursor: RunListFilter['cursor'];
      for (let p = 0; p < opts.pages; p++) {
        const page = await repo.list(client, { ...filter, cursor, limit: opts.limit });
        const last = page[page.length - 1];
        if (last) cursor = { updatedAt: last.updatedAt, workflowId: last.workflowId };
        if (page.length < opts.limit) break;
      }
      const queries: Record<Variant, { sql: string; params: unknown[] }> = {
        'keyset-first': { sql: RUN_LIST_SQL, params: runListParams({ ...filter, limit: opts.limit }) },
        'keyset-deep': { sql: RUN_LIST_SQL, params: runListParams({ ...filter, cursor, limit: opts.limit }) },
        'offset-first': { sql: offsetText, params: [...runListParams({ ...filter, limit: opts.limit }).slice(0, 10), opts.limit, 0] },
        'offset-deep': { sql: offsetText, params: [...runListParams({ ...filter, limit: opts.limit }).slice(0, 10), opts.limit, opts.pages * opts.limit] },
      };
      const deepIds: Partial<Record<Variant, string[]>> = {};
      for (const [vi, variant] of VARIANTS.entries()) {
        const { sql, params } = queries[variant];
        opts.progress(`measuring ${fi * VARIANTS.length + vi + 1}/${total}: ${name} ${variant}`);
        const db: number[] = [];
        const rt: number[] = [];
        let rows = 0;
        let plan = '';
        for (let i = 0; i < warmup + repetitions; i++) {
          const t0 = process.hrtime.bigint();
          const r = await client.query(sql, params);
          const ms = Number(process.hrtime.bigint() - t0) / 1e6;
          const explained = await client.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
          const json = (explained.rows[0] as { 'QUERY PLAN': Array<{ 'Execution Time': number; Plan: PlanNode }> })['QUERY PLAN'][0];
          if (i === 0) {
            rows = r.rowCount ?? 0;
            plan = summarisePlan(json?.Plan);
            if (variant.endsWith('deep')) deepIds[variant] = r.rows.map((row: { workflow_id: string }) => row.workflow_id);
          }
          if (i < warmup) continue;
          rt.push(ms);
          db.push(json?.['Execution Time'] ?? NaN);
        }
        measurements.push({ filter: name, variant, rows, dbMs: stats(db), clientMs: stats(rt), plan });
      }
      if (cursor && JSON.stringify(deepIds['keyset-deep']) !== JSON.stringify(deepIds['offset-deep'])) {
        throw new Error(`filter ${name}: the keyset deep page and the OFFSET deep page differ`);
      }
    }
    opts.progress(`measured ${total} queries × ${repetitions} repetitions\n`);

    const result: Omit<BenchResult, 'file'> = { rows: opts.rows, limit: opts.limit, pages: opts.pages, repetitions, seedMs, measurements };
    const dir = opts.outDir ?? join(findProjectRoot(), '.fuusio', 'bench');
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `list-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
    writeFileSync(file, JSON.stringify({ ...result, sql: RUN_LIST_SQL, offsetSql: offsetText, filters: FILTERS }, null, 2));
    for (const line of formatTable({ ...result, file })) opts.print(line);
    opts.print(`raw figures: ${file}`);
    return { ...result, file };
  } finally {
    await client.end().catch(() => undefined);
    if (!opts.keep) await dropDatabase(url);
  }
}

export function formatTable(r: BenchResult): string[] {
  const header = ['filter', 'page', 'rows', 'keyset db p50', 'p95', 'rt p50', 'p95', 'OFFSET db p50', 'p95', 'rt p50', 'p95', 'keyset plan'];
  const f = (n: number) => (n < 10 ? n.toFixed(2) : n < 100 ? n.toFixed(1) : n.toFixed(0));
  const body: string[][] = [];
  for (const { name } of FILTERS) {
    for (const page of ['first', 'deep'] as const) {
      const k = r.measurements.find((m) => m.filter === name && m.variant === `keyset-${page}`);
      const o = r.measurements.find((m) => m.filter === name && m.variant === `offset-${page}`);
      if (!k || !o) continue;
      body.push([name, page === 'first' ? 'first' : `${r.pages + 1}`, String(k.rows), f(k.dbMs.median), f(k.dbMs.p95), f(k.clientMs.median),
        f(k.clientMs.p95), f(o.dbMs.median), f(o.dbMs.p95), f(o.clientMs.median), f(o.clientMs.p95), k.plan]);
    }
  }
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i === cells.length - 1 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [
    `run list, ${r.rows.toLocaleString('en')} rows, limit ${r.limit}, deep page = page ${r.pages + 1}; ms over ${r.repetitions} runs `
      + '(db = EXPLAIN ANALYZE execution time, rt = client round trip)',
    line(header),
    line(header.map((_, i) => '-'.repeat(widths[i] ?? 0))),
    ...body.map(line),
  ];
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? at(0.5) : ((sorted[mid - 1] ?? NaN) + (sorted[mid] ?? NaN)) / 2;
  return { median, p95: at(0.95), samples };
}

type PlanNode = { 'Node Type': string; 'Index Name'?: string; Plans?: PlanNode[] };

/** The plan's nodes, outermost first, e.g. "Limit > Index Scan process_runs_kind_keyset". */
function summarisePlan(node: PlanNode | undefined): string {
  const parts: string[] = [];
  const walk = (n: PlanNode, depth: number) => {
    if (n['Node Type'] !== 'Limit' && depth < 4) parts.push(n['Index Name'] ? `${n['Node Type']} ${n['Index Name']}` : n['Node Type']);
    for (const child of n.Plans ?? []) if (!['SubPlan', 'InitPlan'].includes(child['Node Type'])) walk(child, depth + 1);
  };
  if (node) walk(node, 0);
  return parts.join(' > ');
}

function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

export function orgId(n: number): string {
  return `${String(9_100_000 + n * 101).padStart(7, '0')}-${n % 10}`;
}

// ~100 municipalities and joint authorities: the organisation pool (names in titles, ids in organisations).
const NAMES = ['Helsinki', 'Espoo', 'Vantaa', 'Kauniainen', 'Kirkkonummi', 'Sipoo', 'Kerava', 'Järvenpää', 'Tuusula', 'Nurmijärvi',
  'Vihti', 'Lohja', 'Raasepori', 'Hanko', 'Inkoo', 'Siuntio', 'Karkkila', 'Mäntsälä', 'Pornainen', 'Porvoo', 'Loviisa', 'Lapinjärvi',
  'Myrskylä', 'Pukkila', 'Askola', 'Hyvinkää', 'Kotka', 'Kouvola', 'Hamina', 'Pyhtää', 'Miehikkälä', 'Virolahti', 'Lahti', 'Heinola',
  'Hollola', 'Orimattila', 'Asikkala', 'Padasjoki', 'Sysmä', 'Hartola', 'Iitti', 'Kärkölä', 'Tampere', 'Nokia', 'Ylöjärvi', 'Kangasala',
  'Lempäälä', 'Pirkkala', 'Vesilahti', 'Orivesi', 'Valkeakoski', 'Akaa', 'Urjala', 'Sastamala', 'Turku', 'Kaarina', 'Raisio', 'Naantali',
  'Lieto', 'Masku', 'Mynämäki', 'Nousiainen', 'Paimio', 'Sauvo', 'Salo', 'Uusikaupunki', 'Laitila', 'Loimaa', 'Pori', 'Rauma', 'Ulvila',
  'Harjavalta', 'Kokemäki', 'Huittinen', 'Eura', 'Oulu', 'Kempele', 'Liminka', 'Muhos', 'Ii', 'Kuopio', 'Siilinjärvi', 'Varkaus',
  'Joensuu', 'Lieksa', 'Kitee', 'Jyväskylä', 'Äänekoski', 'Jämsä', 'Laukaa', 'Muurame', 'Seinäjoki', 'Lapua', 'Kauhava', 'Vaasa',
  'Mustasaari', 'Rovaniemi', 'Kemi', 'Tornio', 'Mikkeli'];

const STAGES: Record<string, string[]> = {
  onboarding: ['application', 'board', 'subscription', 'signature', 'registration', 'notified'],
  'shareholding-merger': ['preparation', 'consultation', 'board', 'agreement', 'registration', 'notified'],
  consolidation: ['planning', 'council', 'transition', 'registration', 'closed'],
  project: ['initiation', 'planning', 'execution', 'review', 'closed'],
};

/**
 * N rows with one INSERT … SELECT FROM generate_series per chunk (for the progress line). The list
 * indexes are dropped for the load and rebuilt afterwards from their own definitions, which is several
 * times faster than maintaining them row by row; the schema ends exactly as migrated.
 */
export async function seed(client: Client, opts: Pick<BenchOptions, 'rows' | 'progress'>): Promise<void> {
  const indexes = await client.query<{ name: string; def: string }>(
    `SELECT i.relname AS name, pg_get_indexdef(x.indexrelid) AS def FROM pg_index x
       JOIN pg_class i ON i.oid = x.indexrelid
      WHERE x.indrelid = 'process_runs'::regclass AND NOT x.indisprimary AND NOT x.indisunique ORDER BY 1`,
  );
  for (const { name } of indexes.rows) await client.query(`DROP INDEX ${name}`);
  await client.query(`SET maintenance_work_mem = '512MB'`);
  await client.query('SET max_parallel_maintenance_workers = 2');
  await client.query('SET synchronous_commit = off');

  const names = `ARRAY[${NAMES.map((n) => `'${n}'`).join(',')}]::text[]`;
  const ids = `ARRAY[${NAMES.map((_, i) => `'${orgId(i)}'`).join(',')}]::text[]`;
  const kinds = Object.keys(STAGES);
  const stageCase = kinds.map((k, i) => `WHEN ${i} THEN (ARRAY[${(STAGES[k] ?? []).map((s) => `'${s}'`).join(',')}])[1 + (h2 % ${(STAGES[k] ?? []).length})]`).join(' ');
  const chunk = Math.max(1, Math.min(100_000, Math.ceil(opts.rows / 20)));
  for (let start = 1; start <= opts.rows; start += chunk) {
    const end = Math.min(opts.rows, start + chunk - 1);
    opts.progress(`seeding process_runs: ${(start - 1).toLocaleString('en')} / ${opts.rows.toLocaleString('en')} rows`);
    // h1..h4: cheap deterministic pseudo-random numbers per row; kinds 45/25/10/20 %, statuses
    // 18 % running, the rest mostly completed; 1–4 organisations; updated_at over 3 years.
    await client.query(
      `INSERT INTO process_runs (workflow_id, run_id, kind, business_key, title, status, stage, percent, organisations,
                                 waiting_for, next_deadline, started_at, updated_at)
       SELECT kind || ':' || ids[1 + o1] || ':' || ids[1 + o2] || ':' || g, md5(g::text), kind,
              kind || ':' || ids[1 + o1] || ':' || ids[1 + o2] || ':' || g,
              CASE kind WHEN 'onboarding' THEN names[1 + o2] || ' → shareholder of ' || ids[1 + o1]
                        WHEN 'shareholding-merger' THEN names[1 + o2] || ' merges into ' || names[1 + o1]
                        WHEN 'consolidation' THEN 'Consolidation of ' || names[1 + o1] || ' and ' || names[1 + o2]
                        ELSE 'Project ' || g || ' of ' || names[1 + o1] END,
              status, stage, CASE WHEN status = 'completed' THEN 100 ELSE h3 % 100 END,
              (ARRAY[ids[1 + o1], ids[1 + o2], ids[1 + (h4 % 100)], ids[1 + (h4 / 100 % 100)]])[1:1 + h3 % 4],
              CASE WHEN status <> 'running' THEN '{}'::text[]
                   WHEN kind = 'consolidation' THEN ARRAY['Council of ' || names[1 + o1], 'Council of ' || names[1 + o2]]
                   WHEN h3 % 3 = 0 THEN ARRAY['Board of ' || names[1 + o1]]
                   ELSE ARRAY['Applicant ' || names[1 + o2]] END,
              CASE WHEN status = 'running' THEN now() + ((h4 % 120) - 60) * interval '1 day' + (h2 % 86400) * interval '1 second' END,
              updated - (h3 % 400) * interval '1 day', updated
         FROM (SELECT g, h1, h2, h3, h4, o1, o2,
                      ${names} AS names, ${ids} AS ids,
                      (ARRAY['${kinds.join("','")}'])[1 + k] AS kind,
                      CASE WHEN h1 % 100 < 18 THEN 'running' WHEN h1 % 100 < 88 THEN 'completed' WHEN h1 % 100 < 92 THEN 'rejected'
                           WHEN h1 % 100 < 95 THEN 'cancelled' WHEN h1 % 100 < 98 THEN 'expired' ELSE 'failed' END AS status,
                      CASE WHEN h1 % 100 BETWEEN 18 AND 87 THEN (ARRAY['notified','notified','registration','closed'])[1 + k]
                           ELSE CASE k ${stageCase} END END AS stage,
                      now() - (h2 % (3 * 365 * 86400)) * interval '1 second' AS updated
                 FROM (SELECT g, h1, h2, h3, h4, h3 / 7 % 100 AS o1, (h3 / 7 % 100 + 1 + h2 % 99) % 100 AS o2,
                              CASE WHEN h2 / 7 % 100 < 45 THEN 0 WHEN h2 / 7 % 100 < 70 THEN 1 WHEN h2 / 7 % 100 < 80 THEN 2 ELSE 3 END AS k
                         FROM (SELECT g, (hashint8(g)::bigint & 2147483647) AS h1, (hashint8(g + 1000000000)::bigint & 2147483647) AS h2,
                                      (hashint8(g + 2000000000)::bigint & 2147483647) AS h3, (hashint8(g + 3000000000)::bigint & 2147483647) AS h4
                                 FROM generate_series($1::bigint, $2::bigint) g) h) o) r`,
      [start, end],
    );
  }
  for (const [i, { name, def }] of indexes.rows.entries()) {
    opts.progress(`seeding process_runs: building index ${i + 1}/${indexes.rows.length} ${name}`);
    await client.query(def);
  }
  opts.progress('seeding process_runs: ANALYZE');
  await client.query('VACUUM ANALYZE process_runs');
}

if (require.main === module) {
  const opts = parseArgs(process.argv.slice(2));
  const started = performance.now();
  main(opts)
    .then(() => opts.print(`bench:list took ${((performance.now() - started) / 1000).toFixed(0)} s`))
    .catch((err: Error) => {
      process.stderr.write(`\nbench:list: ${err.stack ?? err.message}\n`);
      process.exit(1);
    });
}
