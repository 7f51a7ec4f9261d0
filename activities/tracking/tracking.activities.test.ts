import { tamper } from '../../test/support/tamper';
import fc from 'fast-check';
import { createTrackingActivities } from './tracking.activities';
import { AuditRepository, contentDigest, GENESIS_HASH, linkHash } from '../../libs/db/repositories/audit.repository';
import type { ApprovalView, StepView, TrackRequest } from '../../libs/domain/progress';
import { createTestDatabase, type TestDatabase } from '../../test/support/harness';

let db: TestDatabase;
let activities: ReturnType<typeof createTrackingActivities>;
const audit = new AuditRepository();

beforeAll(async () => {
  db = await createTestDatabase();
  activities = createTrackingActivities({ pool: db.pool });
});

afterAll(async () => {
  await db?.drop();
});

let wfSeq = 0;
function newWorkflowId(): string {
  wfSeq += 1;
  return `test-tracking-${process.pid}-${wfSeq}`;
}

const STARTED_AT = '2024-03-01T08:00:00.000Z';

function step(overrides: Partial<StepView> = {}): StepView {
  return {
    key: 'checked', stage: 'checked', title: 'Applicant checked', status: 'done',
    startedAt: '2024-03-01T08:00:01.000Z', finishedAt: '2024-03-01T08:00:02.000Z', detail: { reason: 'ok' },
    ...overrides,
  };
}

function approval(overrides: Partial<ApprovalView> = {}): ApprovalView {
  return { gate: 'board', party: '2229500-6', body: 'Board of Socom', status: 'pending', dueAt: '2024-04-01T00:00:00.000Z', ...overrides };
}

function request(workflowId: string, key: string, overrides: Partial<TrackRequest> = {}): TrackRequest {
  return {
    key,
    action: `stage.${key}`,
    actor: 'system:fuusio',
    run: {
      workflowId,
      kind: 'onboarding',
      businessKey: `onboarding:test:${workflowId}`,
      title: 'Test onboarding',
      status: 'running',
      stage: 'board',
      percent: 20,
      organisations: ['2229500-6'],
      waitingFor: ['board'],
      nextDeadline: '2024-04-01T00:00:00.000Z',
      stages: [{ key: 'checked', title: 'Checked', status: 'done', startedAt: STARTED_AT, finishedAt: STARTED_AT }],
      startedAt: STARTED_AT,
      result: null,
      failure: null,
    },
    steps: [step()],
    approvals: [approval()],
    details: { note: 'first write' },
    ...overrides,
  };
}

async function count(sql: string, params: unknown[]): Promise<number> {
  const r = await db.pool.query<{ n: string }>(`SELECT count(*) AS n FROM (${sql}) x`, params);
  return Number(r.rows[0]?.n);
}

type ChainRow = { seq: number; chainSeq: number; prevHash: string; hash: string };

/** A workflow's chain in chain order (each workflow has its own since migration 0012). */
async function chain(workflowId: string): Promise<ChainRow[]> {
  const r = await db.pool.query<{ seq: string; chain_seq: string; prev_hash: string; hash: string }>(
    'SELECT seq, chain_seq, prev_hash, hash FROM audit_events WHERE workflow_id = $1 ORDER BY chain_seq', [workflowId],
  );
  return r.rows.map((x) => ({ seq: Number(x.seq), chainSeq: Number(x.chain_seq), prevHash: x.prev_hash, hash: x.hash }));
}

async function allEvents(): Promise<number> {
  return count('SELECT 1 FROM audit_events', []);
}

function expectLinked(rows: ChainRow[]): void {
  rows.forEach((row, i) => {
    expect(row.chainSeq).toBe(i + 1);
    if (i > 0) expect(row.seq).toBeGreaterThan(rows[i - 1]!.seq);
    expect(row.prevHash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]?.hash);
  });
}

describe('track: projection and audit event, once per key', () => {
  test('the same key twice writes one audit row, one run row and the steps and approvals once', async () => {
    const wf = newWorkflowId();
    const first = await activities.track(request(wf, 'board-entered'));
    expect(first.written).toBe(true);
    expect(first.seq).toEqual(expect.any(Number));

    // The retry carries different content under the same key: none of it may land.
    const retry = await activities.track(request(wf, 'board-entered', {
      action: 'stage.changed-on-retry',
      run: { ...request(wf, 'x').run, stage: 'signature', percent: 60, title: 'Changed on retry' },
      steps: [step({ status: 'failed', detail: { reason: 'retry' } }), step({ key: 'extra', title: 'Extra step' })],
      approvals: [approval({ status: 'approved', decidedBy: 'someone' }), approval({ party: '2077474-0' })],
    }));
    expect(retry).toEqual({ written: false });

    const events = await audit.forWorkflow(db.pool, wf);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      seq: first.seq, idempotencyKey: `${wf}#board-entered`, workflowId: wf, action: 'stage.board-entered', actor: 'system:fuusio',
    });
    // The whole run snapshot is in the chained record, so the projection can be rebuilt from it.
    // A note may name people: it is kept beside the chain, with its digest in the chained payload.
    expect(events[0]?.payload).toEqual({
      run: JSON.parse(JSON.stringify(request(wf, 'board-entered').run)),
      steps: [step()], approvals: [approval()], details: {}, personalDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(events[0]?.personal).toEqual({ 'details.note': 'first write' });

    const runs = await db.pool.query('SELECT run_id, stage, percent, title, kind FROM process_runs WHERE workflow_id = $1', [wf]);
    expect(runs.rows).toEqual([{ run_id: null, stage: 'board', percent: 20, title: 'Test onboarding', kind: 'onboarding' }]);

    const steps = await db.pool.query('SELECT step_key, status, detail FROM process_steps WHERE workflow_id = $1', [wf]);
    expect(steps.rows).toEqual([{ step_key: 'checked', status: 'done', detail: { reason: 'ok' } }]);

    const approvals = await db.pool.query('SELECT gate, party, status, decided_by FROM approvals WHERE workflow_id = $1', [wf]);
    expect(approvals.rows).toEqual([{ gate: 'board', party: '2229500-6', status: 'pending', decided_by: null }]);
  });

  test('a different key writes a second audit row chained to the first and updates the projection', async () => {
    const wf = newWorkflowId();
    const first = await activities.track(request(wf, 'board-entered'));
    const second = await activities.track(request(wf, 'board-decided', {
      run: { ...request(wf, 'x').run, stage: 'signature', percent: 40, waitingFor: [] },
      steps: [step({ key: 'board', stage: 'board', title: 'Board decision' })],
      approvals: [approval({ status: 'approved', decidedBy: 'manager:test', decidedAt: '2024-03-02T10:00:00.000Z', reference: '§ 12' })],
      details: undefined,
    }));
    expect(second.written).toBe(true);
    expect(second.seq).toBe((first.seq ?? 0) + 1);

    const events = await audit.forWorkflow(db.pool, wf);
    expect(events.map((e) => e.idempotencyKey)).toEqual([`${wf}#board-entered`, `${wf}#board-decided`]);
    expect(events[1]?.prevHash).toBe(events[0]?.hash);
    expect(events[1]?.payload).not.toHaveProperty('details');

    expect(await count('SELECT 1 FROM process_runs WHERE workflow_id = $1', [wf])).toBe(1);
    const run = await db.pool.query('SELECT stage, percent, waiting_for FROM process_runs WHERE workflow_id = $1', [wf]);
    expect(run.rows[0]).toEqual({ stage: 'signature', percent: 40, waiting_for: [] });
    const steps = await db.pool.query('SELECT step_key FROM process_steps WHERE workflow_id = $1 ORDER BY step_key', [wf]);
    expect(steps.rows.map((r) => r.step_key)).toEqual(['board', 'checked']);
    const approvals = await db.pool.query('SELECT status, decided_by, reference FROM approvals WHERE workflow_id = $1', [wf]);
    expect(approvals.rows).toEqual([{ status: 'approved', decided_by: 'manager:test', reference: '§ 12' }]);
  });

  test('the same key is the same event only within one workflow', async () => {
    const a = newWorkflowId();
    const b = newWorkflowId();
    expect((await activities.track(request(a, 'started'))).written).toBe(true);
    expect((await activities.track(request(b, 'started'))).written).toBe(true);
    expect(await audit.forWorkflow(db.pool, a)).toHaveLength(1);
    expect(await audit.forWorkflow(db.pool, b)).toHaveLength(1);
  });

  test('a failing projection write rolls back its audit event, so a retry writes it', async () => {
    const wf = newWorkflowId();
    // percent 150 breaks the CHECK on process_runs after the audit row was inserted in the same transaction.
    const bad = request(wf, 'broken', { run: { ...request(wf, 'x').run, percent: 150 } });
    await expect(activities.track(bad)).rejects.toThrow(/percent/);
    expect(await audit.exists(db.pool, `${wf}#broken`)).toBe(false);
    expect(await count('SELECT 1 FROM process_runs WHERE workflow_id = $1', [wf])).toBe(0);

    expect(await activities.track(request(wf, 'broken'))).toEqual({ written: true, seq: expect.any(Number) });
    expect(await audit.forWorkflow(db.pool, wf)).toHaveLength(1);
  });
});

describe('the audit chain', () => {
  test('verifies, and also when read in small pages', async () => {
    const wf = newWorkflowId();
    for (const key of ['a', 'b', 'c', 'd', 'e']) await activities.track(request(wf, key));
    expectLinked(await chain(wf));
    const total = await allEvents();
    expect(await audit.verify(db.pool)).toMatchObject({ ok: true, checked: total });
    expect(await audit.verify(db.pool, 2)).toMatchObject({ ok: true, checked: total });
  });

  test('a row whose payload was changed in place is named as the first broken one', async () => {
    const wf = newWorkflowId();
    await activities.track(request(wf, 'one'));
    const target = await activities.track(request(wf, 'two'));
    await activities.track(request(wf, 'three'));
    const seq = target.seq ?? 0;
    expect(seq).toBeGreaterThan(0);

    const original = await db.pool.query<{ payload: unknown }>('SELECT payload FROM audit_events WHERE seq = $1', [seq]);
    await tamper(db.pool, `UPDATE audit_events SET payload = jsonb_set(payload, '{percent}', '99') WHERE seq = $1`, [seq]);
    try {
      const broken = { ok: false, firstBrokenSeq: seq, problem: { chainSeq: 2, reason: 'content does not match its hash' } };
      expect(await audit.verify(db.pool)).toMatchObject(broken);
      expect(await audit.verify(db.pool, 3)).toMatchObject(broken);
    } finally {
      await tamper(db.pool, 'UPDATE audit_events SET payload = $2 WHERE seq = $1', [seq, original.rows[0]?.payload]);
    }
    // Restoring the content restores the chain: the hash covers the content, not the row's storage.
    expect((await audit.verify(db.pool)).ok).toBe(true);
  });

  test('a row rewritten with a freshly computed hash breaks the link of the row after it', async () => {
    const wf = newWorkflowId();
    const target = await activities.track(request(wf, 'forged'));
    await activities.track(request(wf, 'after-forged'));
    const seq = target.seq ?? 0;

    const [row] = (await audit.forWorkflow(db.pool, wf)).filter((e) => e.seq === seq);
    if (!row) throw new Error('target row missing');
    const forgedPayload = { ...row.payload, percent: 100 };
    // Recomputed with the public formula, so the row itself holds and the next link is what breaks.
    const forgedHash = linkHash(row.prevHash, row.chainSeq, row.seq, contentDigest({ ...row, payload: forgedPayload }));
    await tamper(db.pool, 'UPDATE audit_events SET payload = $2, hash = $3 WHERE seq = $1', [seq, forgedPayload, forgedHash]);
    try {
      expect(await audit.verify(db.pool)).toMatchObject({ ok: false, firstBrokenSeq: seq + 1, problem: { reason: 'prev_hash does not name the previous link' } });
    } finally {
      await tamper(db.pool, 'UPDATE audit_events SET payload = $2, hash = $3 WHERE seq = $1', [seq, row.payload, row.hash]);
    }
    expect((await audit.verify(db.pool)).ok).toBe(true);
  });

  test('a deleted row is detected at the next link of its chain', async () => {
    const wf = newWorkflowId();
    const target = await activities.track(request(wf, 'to-delete'));
    await activities.track(request(wf, 'after-delete'));
    const seq = target.seq ?? 0;
    const saved = await db.pool.query('SELECT * FROM audit_events WHERE seq = $1', [seq]);
    const r = saved.rows[0] as Record<string, unknown>;
    await tamper(db.pool, 'DELETE FROM audit_events WHERE seq = $1', [seq]);
    try {
      expect(await audit.verify(db.pool)).toMatchObject({ ok: false, firstBrokenSeq: seq + 1, problem: { chainSeq: 2, reason: 'chain position 1 is missing' } });
    } finally {
      await db.pool.query(
        `INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash, chain_id, chain_seq)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        [r.seq, r.idempotency_key, r.workflow_id, r.action, r.actor, r.occurred_at, r.payload, r.prev_hash, r.hash, r.chain_id, r.chain_seq],
      );
    }
    expect((await audit.verify(db.pool)).ok).toBe(true);
  });

  test('20 concurrent track calls with different keys keep the chain intact', async () => {
    const before = await allEvents();
    const wf = newWorkflowId();
    const keys = Array.from({ length: 20 }, (_, i) => `concurrent-${i}`);
    const results = await Promise.all(keys.map((key) => activities.track(request(wf, key))));
    expect(results.every((r) => r.written)).toBe(true);
    expect(new Set(results.map((r) => r.seq)).size).toBe(20);

    const rows = await chain(wf);
    expect(rows).toHaveLength(20);
    expectLinked(rows);
    expect(await audit.verify(db.pool)).toMatchObject({ ok: true, checked: before + 20 });
    expect(await audit.forWorkflow(db.pool, wf)).toHaveLength(20);
  });

  test('concurrent retries of the same keys write each event once', async () => {
    const wf = newWorkflowId();
    const keys = Array.from({ length: 8 }, (_, i) => `dup-${i}`);
    // Every key three times, interleaved, all at once.
    const calls = [...keys, ...keys, ...keys].map((key) => activities.track(request(wf, key)));
    const results = await Promise.all(calls);
    expect(results.filter((r) => r.written)).toHaveLength(keys.length);
    expect(results.filter((r) => !r.written)).toHaveLength(keys.length * 2);

    const events = await audit.forWorkflow(db.pool, wf);
    expect(events.map((e) => e.idempotencyKey).sort()).toEqual(keys.map((k) => `${wf}#${k}`).sort());
    const rows = await chain(wf);
    expect(rows).toHaveLength(keys.length);
    expectLinked(rows);
    expect((await audit.verify(db.pool)).ok).toBe(true);
    expect(await count('SELECT 1 FROM process_runs WHERE workflow_id = $1', [wf])).toBe(1);
  });

  test('property: any JSON in an event\'s details round-trips through jsonb and still verifies', async () => {
    // PostgreSQL's jsonb refuses U+0000, so such strings are not a chain question.
    const details = fc
      .dictionary(fc.string({ unit: 'grapheme', maxLength: 8 }), fc.jsonValue({ stringUnit: 'grapheme', maxDepth: 3 }), { maxKeys: 5 })
      .filter((d) => !JSON.stringify(d).includes('\\u0000'));
    const wf = newWorkflowId();
    let n = 0;
    await fc.assert(
      fc.asyncProperty(details, async (d) => {
        n += 1;
        const written = await activities.track(request(wf, `json-${n}`, { details: d }));
        expect(written.written).toBe(true);
        const result = await audit.verify(db.pool);
        expect(result).toMatchObject({ ok: true });
      }),
      { numRuns: 40 },
    );
  });
});
