import { ProcessRepository } from '../libs/db/repositories/process.repository';
import { HEALTH_LEVELS, runHealth } from '../libs/domain/health';
import { createTestDatabase, type TestDatabase } from './support/harness';

// The list's health filter and counts are SQL; runHealth is the rule. Both judge the same rows alike.
const NOW = new Date('2026-10-25T00:30:00Z'); // the night the clocks go back in Helsinki
const HOUR = 3600 * 1000;
let db: TestDatabase;

const runs = [
  ['failed', null], ['failed', 5], ['completed', -48], ['cancelled', null],
  ['running', null], ['running', -0.001], ['running', -72], ['running', 0], ['running', 1],
  ['running', 7 * 24 - 0.001], ['running', 7 * 24], ['running', 30 * 24],
] as const;

beforeAll(async () => {
  db = await createTestDatabase();
  for (const [i, [status, hours]] of runs.entries()) {
    await db.pool.query(
      `INSERT INTO process_runs (workflow_id, kind, business_key, title, status, stage, next_deadline, started_at, updated_at)
       VALUES ($1, 'onboarding', $1, $1, $2, 'x', $3, $4, $4)`,
      [`health-${i}`, status, hours === null ? null : new Date(NOW.getTime() + hours * HOUR).toISOString(), NOW.toISOString()],
    );
  }
});

afterAll(async () => db?.drop());

test('the health filter and counts of the list agree with runHealth on every row', async () => {
  const repo = new ProcessRepository();
  const all = await repo.list(db.pool, { now: NOW, limit: 200 });
  expect(all).toHaveLength(runs.length);
  const counts = await repo.counts(db.pool, { now: NOW });
  for (const level of HEALTH_LEVELS) {
    const expected = all.filter((r) => runHealth(r, NOW).level === level).map((r) => r.workflowId).sort();
    const filtered = (await repo.list(db.pool, { now: NOW, limit: 200, health: level })).map((r) => r.workflowId).sort();
    expect(filtered).toEqual(expected);
    expect(counts.byHealth[level]).toBe(expected.length);
  }
  // A deadline earlier today in Helsinki is due, not overdue, until the Helsinki midnight that ends the day.
  expect(counts.byHealth).toEqual({ red: 3, amber: 5, green: 4 });
});
