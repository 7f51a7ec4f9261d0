import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { FILTERS, main, offsetSql, parseArgs } from '../bench/list';
import { RUN_LIST_SQL } from '../libs/db/repositories/process.repository';
import { testEnv } from './support/test-env';

// `npm run bench:list` on 2,000 rows: the figures are not asserted, only that every filter is measured
// both ways, that the deep pages agree (main throws otherwise) and that the database is gone afterwards.
describe('bench:list', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'fuusio-bench-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('the OFFSET variant is the list query without its keyset condition', () => {
    const sql = offsetSql();
    expect(sql).not.toContain('$13');
    expect(sql).toContain('LIMIT $11 OFFSET $12');
    expect(sql).not.toContain('(updated_at, workflow_id) <');
    expect(sql).toBe(RUN_LIST_SQL.replace(/\n.*\(updated_at, workflow_id\) <.*/, '').replace('LIMIT $13', 'LIMIT $11 OFFSET $12'));
  });

  test('refuses a database whose name could be a real one', () => {
    expect(() => parseArgs(['--database', 'fuusio'])).toThrow(/must contain "bench"/);
    expect(parseArgs(['--rows', '2_000', '--quick'])).toMatchObject({ rows: 2000, quick: true, pages: 50, limit: 50, keep: false });
  });

  test('seeds, measures every filter for the first and a deep page with keyset and OFFSET paging, and cleans up', async () => {
    const database = `fuusio_bench_test_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const printed: string[] = [];
    const result = await main({
      ...parseArgs(['--rows', '2000', '--quick', '--pages', '5', '--database', database]),
      databaseUrl: testEnv('adminUrl'),
      outDir,
      print: (line) => printed.push(line),
      progress: () => undefined,
    });

    expect(result.rows).toBe(2000);
    const table = printed.join('\n');
    for (const { name } of FILTERS) {
      for (const page of ['first', '6']) {
        const row = printed.find((line) => line.startsWith(`${name.padEnd(10)} `) && line.split(/\s+/)[1] === page);
        expect(row).toBeDefined();
        // filter, page, rows, then keyset p50/p95 (db, round trip) and OFFSET p50/p95 (db, round trip): numbers.
        const figures = row!.split(/\s+/).slice(3, 11);
        expect(figures.every((f) => Number.isFinite(Number(f)))).toBe(true);
      }
      for (const variant of ['keyset-first', 'keyset-deep', 'offset-first', 'offset-deep']) {
        const m = result.measurements.find((x) => x.filter === name && x.variant === variant);
        expect(m?.dbMs.samples).toHaveLength(result.repetitions);
        expect(m?.clientMs.samples).toHaveLength(result.repetitions);
      }
    }
    expect(table).toMatch(/keyset db p50/);
    expect(table).toMatch(/OFFSET db p50/);
    // With 2,000 rows, unfiltered page 6 exists: both pagings return it.
    expect(result.measurements.find((m) => m.filter === 'none' && m.variant === 'keyset-deep')?.rows).toBe(50);

    const raw = JSON.parse(readFileSync(result.file, 'utf8'));
    expect(raw.measurements).toHaveLength(FILTERS.length * 4);

    const admin = new Client({ connectionString: testEnv('adminUrl') });
    await admin.connect();
    try {
      expect((await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [database])).rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });
});
