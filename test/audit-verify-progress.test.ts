import { makeCheckpoint } from '../libs/audit/checkpointer';
import { loadSigningKey } from '../libs/audit/signing';
import { generateTrail } from '../libs/audit/synthetic-trail';
import { verifyAudit, type VerifyProgress } from '../libs/audit/verifier';
import { withSnapshot, withTransaction } from '../libs/db/pool';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { startApi, type TestApi } from './support/api-harness';
import { cli } from './support/cli';
import { connectTemporal, createTestDatabase, type TestDatabase, type TestTemporal } from './support/harness';
import { oneByte, tamper } from './support/tamper';

const key = loadSigningKey(null);
const EVENTS = 12_000;
const CHAINS = 120;
let db: TestDatabase;
let temporal: TestTemporal;
let api: TestApi;

beforeAll(async () => {
  db = await createTestDatabase();
  // Three batches, each logged and signed: a trail with several checkpoints.
  await generateTrail(db.pool, key, { events: EVENTS, chains: CHAINS, runId: 't', batch: 5_000 });
  // The real append goes on from a generated chain's head: the generated rows are the ones it would have written.
  const row = await withTransaction(db.pool, (tx) => new AuditRepository().append(tx, {
    idempotencyKey: 'after-the-generated', workflowId: 'verify-t-7', action: 'step.done', actor: 'system:test', payload: { n: 1 },
  }));
  expect(row).toMatchObject({ chainId: 'workflow:verify-t-7', chainSeq: EVENTS / CHAINS + 1 });
  await makeCheckpoint(db.pool, key);
  temporal = await connectTemporal();
  api = await startApi(db, temporal);
}, 120_000);
afterAll(async () => {
  await api?.close();
  await temporal?.close();
  await db?.drop();
});

const verifyWithProgress = async () => {
  const seen: VerifyProgress[] = [];
  const result = await withSnapshot(db.pool, (tx) => verifyAudit(tx, key.publicKey, key.keyId, 'full', { onProgress: (p) => seen.push(p) }));
  return { result, seen };
};

describe('a full verify of a generated trail', () => {
  test('reports its progress phase by phase, each count growing to its total, and ends with every event checked', async () => {
    const { result, seen } = await verifyWithProgress();
    const total = EVENTS + 1;
    expect(result).toMatchObject({ ok: true, checked: total, leaves: total, checkpoints: 4, verifiedTreeSize: total, problems: [] });
    expect(result.checked).toBe(Number((await db.pool.query('SELECT count(*) AS n FROM audit_events')).rows[0].n));

    const phases = seen.map((p) => p.phase);
    expect([...new Set(phases)]).toEqual(['chains', 'log', 'done']);
    expect(phases.lastIndexOf('chains')).toBeLessThan(phases.indexOf('log'));
    for (const phase of ['chains', 'log'] as const) {
      const steps = seen.filter((p) => p.phase === phase);
      expect(steps.length).toBeGreaterThan(1);
      steps.slice(1).forEach((p, i) => expect(p.done).toBeGreaterThan(steps[i]!.done));
      expect(steps.every((p) => p.total === total && p.done <= p.total)).toBe(true);
      expect(steps.at(-1)!.done).toBe(total);
    }
    expect(seen.at(-1)).toMatchObject({ phase: 'done', done: total, total });
    expect(seen.every((p) => p.seconds >= 0 && p.perSecond >= 0)).toBe(true);
  });

  test('a row changed deep inside the trail is found and named', async () => {
    const row = (await db.pool.query("SELECT seq, chain_id, chain_seq, actor FROM audit_events WHERE chain_id = 'workflow:verify-t-61' AND chain_seq = 70")).rows[0];
    try {
      await tamper(db.pool, 'UPDATE audit_events SET actor = $2 WHERE seq = $1', [row.seq, oneByte(row.actor)]);
      const { result, seen } = await verifyWithProgress();
      expect(result).toMatchObject({ ok: false, firstBrokenSeq: Number(row.seq) });
      expect(result.problems[0]).toMatchObject({
        kind: 'chain', seq: Number(row.seq), chainId: 'workflow:verify-t-61', chainSeq: 70, reason: 'content does not match its hash',
      });
      // The walk stopped at the row: its progress never passed it.
      expect(seen.filter((p) => p.phase === 'chains').every((p) => p.done < EVENTS)).toBe(true);
    } finally {
      await tamper(db.pool, 'UPDATE audit_events SET actor = $2 WHERE seq = $1', [row.seq, row.actor]);
    }
  });
});

describe('GET /api/audit/verify?progress=ndjson', () => {
  test('streams progress lines that parse, then the result the plain route answers', async () => {
    const auditor = await api.token('auditor');
    const plain = await api.request('GET', '/api/audit/verify', { token: auditor });
    expect(plain.status).toBe(200);
    expect(plain.body).toMatchObject({ ok: true, checked: EVENTS + 1 });

    const res = await fetch(`${api.baseUrl}/api/audit/verify?progress=ndjson`, { headers: { authorization: `Bearer ${auditor}` } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/x-ndjson');
    const lines = (await res.text()).split('\n');
    expect(lines.pop()).toBe('');
    const parsed = lines.map((l) => JSON.parse(l) as { progress?: VerifyProgress; result?: unknown });
    const progress = parsed.slice(0, -1).map((l) => l.progress!);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.every((p) => ['chains', 'log', 'done'].includes(p.phase) && Number.isInteger(p.done) && Number.isInteger(p.total))).toBe(true);
    expect(parsed.at(-1)).toEqual({ result: plain.body });

    const incremental = await api.request('GET', '/api/audit/verify?mode=incremental&progress=ndjson', { token: auditor });
    expect(incremental.status).toBe(200);
    const bad = await api.request('GET', '/api/audit/verify?progress=sse', { token: auditor });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.details)).toContain('progress');
  });

  test('the roles of the plain route: others are refused (403), streaming or not', async () => {
    for (const role of ['manager', 'admin'] as const) {
      const token = await api.token(role);
      for (const query of ['', '?progress=ndjson']) {
        const r = await api.request('GET', `/api/audit/verify${query}`, { token });
        expect({ role, query, status: r.status }).toEqual({ role, query, status: 403 });
      }
    }
  });

  test('fuusio audit verify --progress draws the progress on stderr and ends with the rate', async () => {
    const env = { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: await api.token('auditor') };
    const r = await cli(['audit', 'verify', '--progress'], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain(`audit chain ok: ${EVENTS + 1} events checked`);
    const lines = r.stderr.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^\[[#.]{10}\] \d+\/12001 events of the chains, [\d,]+\/s$/);
    expect(lines).toContainEqual(expect.stringMatching(/^\[##########\] 12001\/12001 leaves of the log, [\d,]+\/s$/));
    expect(lines.at(-1)).toMatch(/^verified 12,001 events in \d+\.\d s: [\d,]+ events\/s$/);

    // Without --progress and not on a terminal: the plain answer, stderr untouched.
    const quiet = await cli(['audit', 'verify'], env);
    expect(quiet).toMatchObject({ code: 0, stderr: '' });
  });
});
