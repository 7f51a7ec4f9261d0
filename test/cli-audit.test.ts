import { withoutPersonalData } from '../apps/cli/personal-redaction';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli';
import { seedDemoData } from '../infra/seed/seed';
import { AuditRepository, type AuditEventRow } from '../libs/db/repositories/audit.repository';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { decideUpdate, progressQuery } from '../workflows/kit/messages';
import { MANAGER, associationApplication } from './support/onboarding-fixtures';
import { connectTemporal, createTestDatabase, eventually, startWorker, type RunningWorker, type TestDatabase, type TestTemporal } from './support/harness';

/**
 * `fuusio history` (export bundle and timeline) and `fuusio replay` (through the API, and locally
 * from exported files). The history and audit trail are real: an onboarding run on the dev server
 * with the real worker and activities, rejected by the board. The API is a small fake that serves them.
 */


type JsonEvent = Record<string, any> & { eventId: string; eventType: string };
type JsonHistory = { events: JsonEvent[] };

const FIXTURES = join(__dirname, 'replay', 'fixtures');
const TOKEN = 'fuusio_auditor_test-token-value-1234567890';

let db: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker;
let workflowId: string;
let history: JsonHistory;
let audit: AuditEventRow[];

let server: Server;
let env: NodeJS.ProcessEnv;
let dir: string;
let replayRequests: unknown[] = [];
/** An audit row as the API would serve it if a credential had slipped into a payload. */
let leaky: AuditEventRow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'fuusio-cli-audit-'));
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  temporal = await connectTemporal();
  worker = await startWorker(temporal, db.pool);

  // A real run: applied, checked, then the board rejects it; the workflow ends as rejected.
  workflowId = `test-cli-audit-${Date.now()}`;
  const handle = await temporal.client.workflow.start('onboardShareholder', {
    taskQueue: temporal.taskQueue, workflowId, args: [associationApplication()],
  });
  await eventually(async () => ((await handle.query(progressQuery)).stage === 'board' ? true : undefined), 20_000, 'stage board');
  await handle.executeUpdate(decideUpdate, {
    args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'not now', actor: MANAGER }],
  });
  expect((await handle.result()).status).toBe('rejected');
  history = JSON.parse(historyToJSON(await handle.fetchHistory())) as JsonHistory;
  audit = await new AuditRepository().forWorkflow(db.pool, workflowId);
  writeFileSync(join(dir, 'recorded.json'), JSON.stringify(history));

  const last = audit[audit.length - 1] as AuditEventRow;
  leaky = { ...last, payload: { ...last.payload, details: { authorization: `Bearer ${TOKEN}`, note: 'kept' } } };

  server = createServer((req, res) => {
    void (async () => {
      const u = new URL(req.url ?? '/', 'http://localhost');
      const body = await readBody(req);
      if (req.headers.authorization !== `Bearer ${TOKEN}`) {
        return send(res, 401, { error: 'unauthorized', message: 'a valid bearer token is required', details: [] });
      }
      const id = encodeURIComponent(workflowId);
      switch (`${req.method} ${u.pathname}`) {
        case `GET /api/workflows/${id}/history`:
          return send(res, 200, history);
        case `GET /api/workflows/${id}/audit`:
          return send(res, 200, { items: [...audit.slice(0, -1), leaky] });
        case 'POST /api/audit/replay':
          replayRequests.push(body);
          return send(res, 200, {
            results: [
              { workflowId: 'onboarding:2229500-6:0201256-6', ok: true },
              {
                workflowId: 'onboarding:2229500-6:0000000-0',
                ok: false,
                error:
                  "Replay failed with a nondeterminism error. This means that the workflow code as written is not compatible with the history that was fed in. Details: Activity type of scheduled event 'checkApplicantV0' does not match activity command's activity type 'checkApplicant'\n    at stack line",
              },
            ],
          });
        default:
          return send(res, 404, { error: 'not_found', message: `no route ${req.method} ${u.pathname}`, details: [] });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = { FUUSIO_API_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, FUUSIO_TOKEN: TOKEN };
});

afterAll(async () => {
  if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  await worker?.stop();
  await temporal?.close();
  await db?.drop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  replayRequests = [];
});

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

/** The test's own reading of the history: for each `track` call, its key and its scheduled / completed event ids. */
function trackCalls(h: JsonHistory): Map<string, { scheduled: string; completed?: string }> {
  const calls = new Map<string, { scheduled: string; completed?: string }>();
  for (const e of h.events) {
    const a = e.activityTaskScheduledEventAttributes;
    if (a?.activityType?.name !== 'track') continue;
    const input = JSON.parse(Buffer.from(a.input.payloads[0].data, 'base64').toString('utf8')) as { key: string };
    const completed = h.events.find((c) => c.activityTaskCompletedEventAttributes?.scheduledEventId === e.eventId);
    calls.set(input.key, { scheduled: e.eventId, completed: completed?.eventId });
  }
  return calls;
}

function lineOf(stdout: string, action: string): string {
  const line = stdout.split('\n').find((l) => new RegExp(`\\s${action.replace(/\./g, '\\.')}\\s`).test(l));
  if (!line) throw new Error(`no timeline line for ${action} in:\n${stdout}`);
  return line;
}

describe('fuusio history', () => {
  it('--out writes the bundle: workflowId, exportedAt, the Temporal history and the audit events, without credentials', async () => {
    const out = join(dir, 'bundle.json');
    const before = Date.now();
    const r = await cli(['history', workflowId, '--out', out], env);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`wrote the history of ${workflowId} (${history.events.length} history events, ${audit.length} audit events) to ${out}\n`);

    const text = readFileSync(out, 'utf8');
    const bundle = JSON.parse(text) as { workflowId: string; exportedAt: string; history: JsonHistory; audit: AuditEventRow[] };
    expect(Object.keys(bundle).sort()).toEqual(['audit', 'exportedAt', 'history', 'workflowId']);
    expect(bundle.workflowId).toBe(workflowId);
    expect(Date.parse(bundle.exportedAt)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(bundle.exportedAt)).toBeLessThanOrEqual(Date.now());
    // The history as served, less its personal fields: the board's comment ("not now") is gone from the update and activity inputs.
    expect(bundle.history).toEqual(withoutPersonalData(history));
    expect(bundle.history).not.toEqual(history);
    expect(decodedPayloads(bundle.history)).not.toContain('not now');
    expect(decodedPayloads(history)).toContain('not now');
    // The audit events as chained: their kept personal fields stay behind.
    expect(bundle.audit.slice(0, -1)).toEqual(JSON.parse(JSON.stringify(audit.slice(0, -1).map(({ personal: _p, ...chained }) => chained))));
    expect(bundle.audit.map((a) => a.seq)).toEqual(audit.map((a) => a.seq));
    // The slipped-in credential is redacted, the rest of that payload kept; the token appears nowhere.
    expect(bundle.audit[bundle.audit.length - 1]?.payload.details).toEqual({ authorization: '[redacted]', note: 'kept' });
    expect(text).not.toContain(TOKEN);
    // Audit actors are pseudonymous role:name references.
    for (const a of bundle.audit) expect(a.actor).toMatch(/^(system:fuusio|[a-z]+:[a-z0-9-]+)$/);

    const json = await cli(['history', workflowId, '--out', join(dir, 'bundle2.json'), '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual({
      workflowId, file: join(dir, 'bundle2.json'), historyEvents: history.events.length, auditEvents: audit.length,
    });
  });

  it('without --out prints a timeline that links each milestone to the history events of its track activity', async () => {
    const r = await cli(['history', workflowId], env);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Timeline of ${workflowId}: ${audit.length} audit events, ${history.events.length} history events`);
    expect(lines[2]).toMatch(/^TIME\s+ACTOR\s+ACTION\s+STAGE\s+STATUS\s+HISTORY EVENTS$/);

    const calls = trackCalls(history);
    // The run's milestones, in order, each written by the workflow's tracking activity.
    expect(audit.map((a) => a.action)).toEqual([
      'stage.checked.started', 'stage.checked.completed', 'stage.board.started', 'approval.rejected', 'workflow.rejected',
    ]);
    expect(calls.size).toBe(audit.length);
    for (const a of audit) {
      const call = calls.get(a.idempotencyKey.slice(`${workflowId}#`.length));
      expect(call?.completed).toBeDefined();
      const line = lineOf(r.stdout, a.action);
      const time = new Date(a.occurredAt).toISOString().slice(0, 19).replace('T', ' ');
      const run = a.payload.run as { stage: string; status: string };
      expect(line).toMatch(new RegExp(`^${time}Z\\s+${a.actor}\\s+${a.action.replace(/\./g, '\\.')}\\s+${run.stage}\\s+${run.status}\\s+scheduled ${call?.scheduled}, completed ${call?.completed}$`));
    }
    // Who decided: the board's rejection is the manager's, by pseudonymous reference.
    expect(lineOf(r.stdout, 'approval.rejected')).toMatch(/\smanager:test-manager\s+approval\.rejected\s+board\s+/);
    expect(lineOf(r.stdout, 'workflow.rejected')).toMatch(/\sworkflow\.rejected\s+\S+\s+rejected\s+/);

    // --json prints the bundle itself.
    const json = await cli(['history', workflowId, '--json'], env);
    const bundle = JSON.parse(json.stdout) as { workflowId: string; history: JsonHistory; audit: unknown[] };
    expect(bundle.workflowId).toBe(workflowId);
    expect(bundle.history.events).toHaveLength(history.events.length);
    expect(bundle.audit).toHaveLength(audit.length);
  });

  it('fails with exit code 1 and the API error when the workflow is unknown', async () => {
    const r = await cli(['history', 'no-such-workflow'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('error not_found: no route GET /api/workflows/no-such-workflow/history');
  });
});

describe('fuusio replay', () => {
  it('--from a directory replays recorded histories and exported bundles locally: all ok, exit 0, with a progress bar', async () => {
    const from = join(dir, 'good');
    mkdirSync(from);
    copyFileSync(join(dir, 'recorded.json'), join(from, 'recorded.json'));
    expect((await cli(['history', workflowId, '--out', join(from, 'exported-bundle.json')], env)).code).toBe(0);
    writeFileSync(join(from, 'notes.txt'), 'not a history: skipped');
    const fixtures = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')) : [];
    for (const f of fixtures) copyFileSync(join(FIXTURES, f), join(from, `fixture-${f}`));
    const total = 2 + fixtures.length;

    // No token and no API address: nothing is asked of the API.
    const r = await cli(['replay', '--from', from, '--progress'], {});
    expect(r.stderr.split('\n').filter(Boolean)).toEqual(
      Array.from({ length: total + 1 }, (_, done) => {
        const filled = Math.round((done / total) * 10);
        return `[${'#'.repeat(filled)}${'.'.repeat(10 - filled)}] ${done}/${total}`;
      }),
    );
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^WORKFLOW ID\s+FILE\s+REPLAY\s+FIRST DIVERGENCE \/ ERROR$/);
    const rows = lines.slice(1, -1);
    expect(rows).toHaveLength(total);
    for (const row of rows) expect(row).toMatch(/\sok$/);
    expect(rows.filter((l) => l.startsWith(`${workflowId} `)).map((l) => l.split(/\s+/)[1])).toEqual([
      join(from, 'exported-bundle.json'), join(from, 'recorded.json'),
    ]);
    const events = readdirSync(from).filter((f) => f.endsWith('.json'))
      .map((f) => JSON.parse(readFileSync(join(from, f), 'utf8')) as JsonHistory & { history?: JsonHistory })
      .reduce((n, h) => n + (h.history ?? h).events.length, 0);
    expect(lines[lines.length - 1]).toMatch(new RegExp(`^replayed ${total} histories \\(${events} events\\) in \\d+\\.\\ds \\(bundling the workflow code took \\d+\\.\\ds\\): ${total} ok, 0 failed$`));

    // One file, --json: the outcome per workflow; no progress bar unless asked for (stderr is not a terminal).
    const one = await cli(['replay', '--from', join(dir, 'recorded.json'), '--json']);
    expect(one.code).toBe(0);
    expect(one.stderr).toBe('');
    expect(JSON.parse(one.stdout)).toEqual({ results: [{ workflowId, ok: true, file: join(dir, 'recorded.json') }] });
  });

  it('--from a history whose workflow code diverges fails with NOT DETERMINISTIC, the diverging event, and exit 1', async () => {
    const from = join(dir, 'diverged');
    mkdirSync(from);
    // The same run as if an older version of the workflow had called the check activity by another name.
    const changed = JSON.parse(JSON.stringify(history)) as JsonHistory;
    const check = changed.events.find((e) => e.activityTaskScheduledEventAttributes?.activityType?.name === 'checkApplicant');
    expect(check).toBeDefined();
    (check as JsonEvent).activityTaskScheduledEventAttributes.activityType.name = 'checkApplicantV0';
    writeFileSync(join(from, 'a-changed.json'), JSON.stringify(changed));
    copyFileSync(join(dir, 'recorded.json'), join(from, 'b-recorded.json'));

    const r = await cli(['replay', '--from', from]);
    expect(r.code).toBe(1);
    const full = await cli(['replay', '--from', join(from, 'a-changed.json'), '--json']);
    expect(full.code).toBe(1);
    const [result] = (JSON.parse(full.stdout) as { results: { ok: boolean; error: string }[] }).results;
    expect(result?.ok).toBe(false);
    expect(result?.error).toMatch(/^Replay failed with a nondeterminism error\..*\[TMPRL1100\] Nondeterminism error: Activity type of scheduled event 'checkApplicantV0'/);
    const rows = r.stdout.split('\n').filter(Boolean).slice(1, -1);
    expect(rows).toHaveLength(2);
    // The SDK's DeterminismViolationError names the diverging event; the report shows that message.
    expect(rows[0]).toMatch(new RegExp(`^${workflowId}\\s+${join(from, 'a-changed.json')}\\s+NOT DETERMINISTIC\\s+`));
    expect(rows[0]).toContain(
      "Nondeterminism error: Activity type of scheduled event 'checkApplicantV0' does not match activity type of activity command 'checkApplicant'",
    );
    expect(rows[1]).toMatch(new RegExp(`^${workflowId}\\s+${join(from, 'b-recorded.json')}\\s+ok$`));
    expect(r.stdout).toMatch(/replayed 2 histories \(\d+ events\) in \d+\.\ds \(bundling the workflow code took \d+\.\ds\): 1 ok, 1 failed\n$/);
    expect(r.stderr).toBe(`error replay_failed: 1 of 2 workflows did not replay: ${workflowId}\n`);
  });

  it('with ids or --query asks the API and reports ok / NOT DETERMINISTIC with the first line of the error', async () => {
    const r = await cli(['replay', 'onboarding:2229500-6:0201256-6', 'onboarding:2229500-6:0000000-0'], env);
    expect(r.code).toBe(1);
    expect(replayRequests).toEqual([{ workflowIds: ['onboarding:2229500-6:0201256-6', 'onboarding:2229500-6:0000000-0'] }]);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^WORKFLOW ID\s+REPLAY\s+FIRST DIVERGENCE \/ ERROR$/);
    expect(lines[1]).toMatch(/^onboarding:2229500-6:0201256-6\s+ok$/);
    expect(lines[2]).toMatch(/^onboarding:2229500-6:0000000-0\s+NOT DETERMINISTIC\s+Replay failed with a nondeterminism error\..*'checkApplicantV0'.*'checkApplicant'$/);
    expect(r.stdout).not.toContain('stack line');
    expect(r.stderr).toBe('error replay_failed: 1 of 2 workflows did not replay: onboarding:2229500-6:0000000-0\n');

    const byQuery = await cli(['replay', '--query', 'kind=onboarding&status=completed', '--json'], env);
    expect(byQuery.code).toBe(1);
    expect(replayRequests[1]).toEqual({ query: 'kind=onboarding&status=completed' });
    expect((JSON.parse(byQuery.stdout) as { results: { ok: boolean }[] }).results.map((x) => x.ok)).toEqual([true, false]);
  });

  it('usage errors (exit 2): nothing to replay, ids together with --from, a path that is not there or not a history', async () => {
    const none = await cli(['replay'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('give workflow ids, --query <filter> or --from <file-or-dir>');
    const both = await cli(['replay', 'wf-1', '--from', dir], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('not both');
    const missing = await cli(['replay', '--from', join(dir, 'missing.json')]);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(`cannot read ${join(dir, 'missing.json')} (ENOENT)`);
    writeFileSync(join(dir, 'not-a-history.json'), JSON.stringify({ hello: 'world' }));
    const notHistory = await cli(['replay', '--from', join(dir, 'not-a-history.json')]);
    expect(notHistory.code).toBe(2);
    expect(notHistory.stderr).toContain('is neither a bundle from `fuusio history --out` nor a Temporal history JSON');
    const empty = join(dir, 'empty');
    mkdirSync(empty);
    const emptyDir = await cli(['replay', '--from', empty]);
    expect(emptyDir.code).toBe(2);
    expect(emptyDir.stderr).toContain(`no *.json files in ${empty}`);
    expect(replayRequests).toHaveLength(0);
  });
});

/** The text of every base64 payload in a history, joined: what a reader of the file could decode. */
function decodedPayloads(value: unknown): string {
  if (Array.isArray(value)) return value.map(decodedPayloads).join('\n');
  if (!value || typeof value !== 'object') return '';
  const o = value as Record<string, unknown>;
  const own = typeof o.data === 'string' && o.metadata ? Buffer.from(o.data, 'base64').toString('utf8') : '';
  return [own, ...Object.values(o).map(decodedPayloads)].join('\n');
}
