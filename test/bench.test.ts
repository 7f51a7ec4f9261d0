import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { findProjectRoot } from '../infra/temporal/provision';
import type { BenchReport } from '../bench/index';
import { testEnv } from './support/test-env';

// `npm run bench -- --quick` on the test run's Temporal server: every arm runs and every ratio is printed,
// the raw JSON and the SVG are written, and the bench's databases are gone afterwards. No timing is asserted.
const root = findProjectRoot();
const entry = join(root, 'dist', 'bench', 'index.js');

/** The bench runs compiled (its W7 workers are child processes); rebuild when a bench source is newer than dist. */
function ensureBuilt(): void {
  const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true })
    .reduce((m, e) => Math.max(m, e.isDirectory() ? newest(join(dir, e.name)) : e.name.endsWith('.ts') ? statSync(join(dir, e.name)).mtimeMs : 0), 0);
  if (!existsSync(entry) || statSync(entry).mtimeMs < newest(join(root, 'bench'))) {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  }
}

const METRICS = [
  /^throughput Fuusio ÷ bare Temporal, C=\d+ /m,
  /^latency p95 Fuusio ÷ bare, open loop /m,
  /^CPU per workflow Fuusio ÷ bare, C=\d+ /m,
  /^throughput Fuusio ÷ DBOS, C=\d+ /m,
  /^latency p95 Fuusio ÷ DBOS, open loop /m,
  /^throughput Fuusio C=\d+ ÷ raw SQL 16 conns /m,
  /^PostgreSQL commits per business step, W1 /m,
  /^PostgreSQL commits per business step, W2 /m,
  /^PostgreSQL commits per business step, W3 /m,
  /^PostgreSQL commits per business step, W4 /m,
  /^replay ÷ live Fuusio \(histories\/s\), 1 replayer /m,
  /^replay ÷ live Fuusio \(histories\/s\), \d+ replayers /m,
  /^worker MB per cached waiting workflow, fuusio /m,
  /^worker MB per cached waiting workflow, bare /m,
  /^list p95 db ms at [\d,]+ rows \(keyset\) /m,
  /^Temporal list ÷ projection list, p95 round trip /m,
  /^outbox delivery to local SMTP, messages\/s /m,
  /^tracked step with outbox ÷ without /m,
  /^deadline fired → mail accepted by SMTP, p50 ms /m,
  /^deadline fired → mail accepted by SMTP, p95 ms /m,
  /^W9 tracked audit writes ÷ raw inserts, 16 writer\(s\) /m,
  /^W9 tracked audit appends, events\/s, 16 writer\(s\) /m,
  /^V1 full verify \(chains, log, checkpoints\), events\/s, [\d,]+ events /m,
  /^A1 offline bundle verify \(tools\/verify-bundle\.cjs\), events\/s, [\d,]+ events /m,
  /^W8 consolidation of [\d,]+ items: items\/s, last decision to completed /m,
  /^W8 consolidation of [\d,]+ items: largest history, events /m,
];

describe('npm run bench -- --quick', () => {
  const outDir = mkdtempSync(join(tmpdir(), 'fuusio-bench-'));
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test('runs every arm, prints every ratio, writes the JSON and the chart, and drops its databases', async () => {
    ensureBuilt();
    const child = spawn(process.execPath, [entry, '--quick', '--temporal-address', testEnv('temporalAddress'), '--out', outDir], {
      cwd: root, env: { ...process.env, BENCH_DATABASE_URL: testEnv('adminUrl') }, stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
    if (code !== 0) throw new Error(`bench exited ${code}\n${stderr.slice(-4000)}`);

    // Progress on stderr, one line per step; the table on stdout.
    expect(stderr).toMatch(/closed loop rep 3\/3/);
    expect(stderr).toMatch(/open loop rep 3\/3/);
    for (const metric of METRICS) expect(stdout).toMatch(metric);

    const jsonFile = readdirSync(outDir).find((f) => /^bench-\d+\.json$/.test(f));
    expect(jsonFile).toBeDefined();
    const report = JSON.parse(readFileSync(join(outDir, jsonFile!), 'utf8')) as BenchReport;
    expect(report.ratios.length).toBeGreaterThanOrEqual(METRICS.length);
    for (const row of report.ratios) expect(stdout).toContain(row.metric);
    // Every live arm ran in every repetition, closed and open, and did work without a failed onboarding
    // (a block may end before a whole onboarding does: the ones in flight are stopped, not failed).
    for (const arm of ['W2', 'W3', 'W4']) {
      for (const mode of ['closed', 'open'] as const) {
        const blocks = report.live.filter((r) => r.arm === arm && r.mode === mode);
        expect(blocks.map((b) => b.rep).sort()).toEqual(mode === 'closed'
          ? Array.from({ length: report.sizes.repetitions }, (_, i) => i + 1).flatMap((r) => report.sizes.closedLevels.map(() => r)).sort()
          : [1, 2, 3]);
        expect(blocks.every((b) => b.failures === 0 && b.trackedChanges > 0)).toBe(true);
      }
    }
    expect(report.raw.map((r) => r.connections).sort()).toEqual([1, 1, 1, 16, 16, 16]);
    // Commits were counted on each arm's own database, and the Fuusio arm wrote its state and audit.
    for (const arm of ['W1', 'W2', 'W3', 'W4']) expect(report.commits[arm]?.commits).toBeGreaterThan(0);
    expect(report.replay.length).toBeGreaterThanOrEqual(2);
    expect(report.replay.every((r) => r.failures === 0 && r.histories > 0)).toBe(true);
    expect(report.memory.points.map((p) => `${p.arm}:${p.parked}`)).toEqual(
      report.sizes.memoryLevels.flatMap((n) => [`fuusio:${n}`, `bare:${n}`]),
    );
    expect(report.memory.points.every((p) => p.cached >= p.parked)).toBe(true);
    expect(report.lists.pgRows).toBe(50);
    // W9 wrote at every level, chained and raw.
    expect(report.auditWrites.map((w) => `${w.writers}:${w.mode}`).sort()).toEqual(
      report.sizes.auditWriters.flatMap((n) => [`${n}:raw`, `${n}:tracked`]).sort(),
    );
    expect(report.auditWrites.every((w) => w.writes > 0)).toBe(true);
    // V1 verified the whole generated trail: every event, every leaf.
    expect(report.verifyFull.map((v) => [v.events, v.leaves])).toEqual([[report.sizes.verifyEvents, report.sizes.verifyEvents]]);
    expect(report.lists.temporalRows).toBeGreaterThan(0);
    // W10: every county's consolidation completed, and the cancel of the largest left its registry rows as they were.
    expect(report.reform.statuses).toEqual({ completed: report.sizes.reformCounties });
    expect(report.reform.items).toBe(report.sizes.reformItems);
    expect([report.reform.cancel.status, report.reform.cancel.restored, report.reform.cancel.undone]).toEqual(['cancelled', true, report.reform.largestCounty.items]);
    expect(stderr).toMatch(/W10 reform: \d+\/\d+ at the effective date/);
    // The soak ran the API and worker programs and drove onboardings through them, sampling as it went.
    expect(report.soak.launched).toBeGreaterThan(0);
    expect(report.soak.completed).toBe(report.soak.launched);
    expect(report.soak.samples.length).toBeGreaterThanOrEqual(3);
    expect(report.soak.samples.every((x) => x.apiMb > 0 && x.workerMb > 0 && x.connections > 0)).toBe(true);
    expect(stderr).toMatch(/soak \d+\/12 s/);
    // The outbox arm delivered every repetition's mails, timed both tracking writes, and caught every reminder.
    expect(report.outbox.deliveryPerSecond).toHaveLength(report.sizes.repetitions);
    expect(report.outbox.deliveryPerSecond.every((r) => r > 0)).toBe(true);
    expect(report.outbox.trackingRatio.every((r) => Number.isFinite(r) && r > 0)).toBe(true);
    expect(report.outbox.deadlineToSmtpMs).toHaveLength(report.sizes.outboxDeadlines);
    // Finite, not asserted ≥ 0: the timer's due time is read from the server's history, the arrival from MailDev's clock.
    expect(report.outbox.deadlineToSmtpMs.every((ms) => Number.isFinite(ms))).toBe(true);
    expect(report.machine).toMatchObject({ cpus: expect.any(Number), postgres: expect.objectContaining({ synchronous_commit: expect.any(String) }) });

    const svg = readFileSync(report.files.svg, 'utf8');
    expect(svg.startsWith('<svg')).toBe(true);
    expect(svg).toContain('W3 Fuusio');

    const stamp = /bench-(\d+)\.json/.exec(jsonFile!)?.[1];
    const admin = new Client({ connectionString: testEnv('adminUrl') });
    await admin.connect();
    try {
      const left = await admin.query('SELECT datname FROM pg_database WHERE datname LIKE $1', [`fuusio_bench_${stamp}%`]);
      expect(left.rows).toEqual([]);
    } finally {
      await admin.end();
    }
  }, 300_000);
});
