import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cli } from './support/cli';
import { hashToken, TokenRepository } from '../libs/db/repositories/token.repository';
import { createTestDatabase, type TestDatabase } from './support/harness';


// ---------------------------------------------------------------------------------------------
// token create: straight to the database

describe('fuusio token create', () => {
  let db: TestDatabase;
  const tokens = new TokenRepository();

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  async function tokenRows(): Promise<Record<string, unknown>[]> {
    return (await db.pool.query('SELECT * FROM api_tokens ORDER BY id')).rows;
  }

  it('prints a working token once, on its own line, and stores only its hash', async () => {
    const before = (await tokenRows()).length;
    const r = await cli(['token', 'create', '--role', 'manager', '--name', 'ops', '--org', ' 2229500-6 '], { DATABASE_URL: db.url });

    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const token = lines[0] as string;
    expect(token).toMatch(/^fuusio_manager_[A-Za-z0-9_-]{20,}$/);
    expect(r.stderr).toMatch(/shown only once/);
    expect(r.stderr).toContain('scoped to 2229500-6');
    expect(r.stderr).not.toContain(token);

    const owner = await tokens.findByToken(db.pool, token);
    expect(owner).toEqual({ id: expect.any(Number), name: 'ops', role: 'manager', organisation: '2229500-6', personId: null });

    const rows = await tokenRows();
    expect(rows).toHaveLength(before + 1);
    const row = rows[rows.length - 1] as Record<string, unknown>;
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(rows)).not.toContain(token);
  });

  it('prints the token and its owner as JSON with --json', async () => {
    const r = await cli(['token', 'create', '--role', 'admin', '--name', 'ci', '--json'], { DATABASE_URL: db.url });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { token: string; owner: { role: string; name: string; organisation: string | null } };
    expect(out.owner).toMatchObject({ role: 'admin', name: 'ci', organisation: null });
    expect(await tokens.findByToken(db.pool, out.token)).toMatchObject({ role: 'admin', name: 'ci', organisation: null });
  });

  it('refuses a bad role with exit code 2 and writes nothing', async () => {
    const before = (await tokenRows()).length;
    const r = await cli(['token', 'create', '--role', 'superuser', '--name', 'x'], { DATABASE_URL: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("option '--role <role>' argument 'superuser' is invalid");
    expect(r.stderr).toContain('admin, manager, auditor, integration');
    expect(r.stdout).toBe('');
    expect(await tokenRows()).toHaveLength(before);
  });

  it('refuses a business ID with a wrong check digit with exit code 2 and writes nothing', async () => {
    const before = (await tokenRows()).length;
    const r = await cli(['token', 'create', '--role', 'manager', '--name', 'x', '--org', '2229500-5'], { DATABASE_URL: db.url });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"2229500-5" is not a business ID: check digit should be 6');
    expect(await tokenRows()).toHaveLength(before);
  });

  it('requires --role and --name', async () => {
    const noRole = await cli(['token', 'create', '--name', 'x'], { DATABASE_URL: db.url });
    expect(noRole.code).toBe(2);
    expect(noRole.stderr).toContain("required option '--role <role>' not specified");
    const blankName = await cli(['token', 'create', '--role', 'auditor', '--name', '  '], { DATABASE_URL: db.url });
    expect(blankName.code).toBe(2);
    expect(blankName.stderr).toContain('must not be empty');
  });

  it('fails with exit code 1 and names the database (without secrets) when it cannot be reached', async () => {
    const r = await cli(['token', 'create', '--role', 'admin', '--name', 'x'], {
      DATABASE_URL: 'postgres://fuusio:s3cret@127.0.0.1:1/nowhere',
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('cannot create the token in the database 127.0.0.1:1/nowhere');
    expect(r.stderr).not.toContain('s3cret');
    expect(r.stdout).toBe('');
  });
});

describe('fuusio token create --expires, token list, token revoke', () => {
  let db: TestDatabase;
  const tokens = new TokenRepository();
  const env = () => ({ DATABASE_URL: db.url, USER: 'ops-operator' });

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('creates a token that expires after the duration given, or refuses an expiry in the past and writes nothing', async () => {
    const r = await cli(['token', 'create', '--role', 'auditor', '--name', 'quarterly-audit', '--expires', '90 days', '--json'], env());
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { token: string; owner: { id: number }; expiresAt: string };
    const row = (await db.pool.query(`SELECT extract(epoch FROM expires_at - created_at) AS seconds FROM api_tokens WHERE id = $1`, [out.owner.id])).rows[0];
    expect(Math.abs(Number(row.seconds) - 90 * 86_400)).toBeLessThan(60);
    expect(await tokens.findByToken(db.pool, out.token)).toMatchObject({ id: out.owner.id });

    const count = async () => (await db.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n;
    const before = await count();
    const past = await cli(['token', 'create', '--role', 'auditor', '--name', 'x', '--expires', '2001-01-01T00:00:00Z'], env());
    expect(past.code).toBe(2);
    expect(past.stderr).toContain('option --expires must be in the future');
    const nonsense = await cli(['token', 'create', '--role', 'auditor', '--name', 'x', '--expires', 'someday'], env());
    expect(nonsense.code).toBe(2);
    expect(nonsense.stderr).toContain('a duration (e.g. "90 days")');
    expect(await count()).toBe(before);
  });

  it('lists tokens with their state and never a token or its hash; revokes one, which is refused from then on and recorded', async () => {
    const created = JSON.parse((await cli(['token', 'create', '--role', 'integration', '--name', 'bank-feed', '--org', '2229500-6', '--json'], env())).stdout) as {
      token: string; owner: { id: number };
    };
    const list = await cli(['token', 'list'], env());
    expect(list.code).toBe(0);
    const line = list.stdout.split('\n').find((l) => l.includes('bank-feed'));
    expect(line).toMatch(new RegExp(`^${created.owner.id}\\s+bank-feed\\s+integration\\s+2229500-6\\s+\\S+\\s+-\\s+active$`));
    const json = await cli(['token', 'list', '--json'], env());
    expect(JSON.parse(json.stdout).items).toContainEqual(expect.objectContaining({ id: created.owner.id, name: 'bank-feed', revokedAt: null }));
    for (const out of [list.stdout, json.stdout]) {
      expect(out).not.toContain(created.token);
      expect(out).not.toContain(hashToken(created.token));
    }

    const revoked = await cli(['token', 'revoke', String(created.owner.id), '--reason', 'feed replaced'], env());
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toContain(`Revoked integration token "bank-feed" (id ${created.owner.id})`);
    expect(await tokens.findByToken(db.pool, created.token)).toBeNull();
    expect((await cli(['token', 'list'], env())).stdout.split('\n').find((l) => l.includes('bank-feed'))).toMatch(/revoked \S+$/);
    const audit = (await db.pool.query('SELECT action, actor, payload FROM audit_events WHERE idempotency_key = $1', [`token#${created.owner.id}#revoked`])).rows;
    expect(audit).toEqual([{
      action: 'api.token.revoked', actor: 'cli:ops-operator',
      payload: { tokenId: created.owner.id, name: 'bank-feed', role: 'integration', organisation: '2229500-6', reason: 'feed replaced', via: 'cli' },
    }]);

    const again = await cli(['token', 'revoke', String(created.owner.id)], env());
    expect(again.code).toBe(1);
    expect(again.stderr).toContain(`token ${created.owner.id} was already revoked`);
    const unknown = await cli(['token', 'revoke', '999999'], env());
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('there is no token 999999');
    expect((await cli(['token', 'revoke', 'abc'], env())).code).toBe(2);
  });
});

// ---------------------------------------------------------------------------------------------
// API commands against a small local server that answers like the API

type Recorded = { method: string; path: string; query: URLSearchParams; authorization?: string; body: unknown };

function item(id: string, extra: Partial<Record<string, unknown>> = {}) {
  return {
    workflowId: id, kind: 'onboarding', title: `Onboarding ${id}`, status: 'running', stage: 'board-decision', percent: 40,
    startedAt: '2025-03-01T08:00:00.000Z', updatedAt: '2025-03-02T08:00:00.000Z', nextDeadline: '2025-04-01T08:00:00.000Z',
    waitingFor: ['board of 2229500-6'], health: { level: 'red', reason: 'overdue', deadline: '2025-04-01T08:00:00.000Z' }, ...extra,
  };
}

const DETAIL = {
  ...item('onboarding:2229500-6:0201256-6'),
  title: 'Onboarding Espoo into SoCom',
  percent: 40,
  stages: [
    { key: 'application', title: 'Application', status: 'done', startedAt: '2025-03-01T08:00:00.000Z', finishedAt: '2025-03-01T08:01:00.000Z' },
    { key: 'board-decision', title: 'Board decision', status: 'running', startedAt: '2025-03-01T08:01:00.000Z', finishedAt: null },
    { key: 'payment', title: 'Payment', status: 'pending', startedAt: null, finishedAt: null },
  ],
  steps: [{ key: 'board-approval', stage: 'board-decision', title: 'Board approval', status: 'running', startedAt: '2025-03-01T08:01:00.000Z' }],
  approvals: [],
  pendingApprovals: [{ gate: 'board', party: '2229500-6', body: 'Board of SoCom', status: 'pending', dueAt: '2025-04-01T08:00:00.000Z' }],
  result: null,
  failure: null,
};

const PAGES: Record<string, { items: unknown[]; nextCursor: string | null }> = {
  '': { items: [item('wf-1'), item('wf-2')], nextCursor: 'c1' },
  c1: { items: [item('wf-3', { status: 'completed', percent: 100, waitingFor: [], health: { level: 'green', reason: 'closed', deadline: null } })], nextCursor: 'c2' },
  c2: { items: [item('wf-4', { nextDeadline: null })], nextCursor: null },
};

function send(res: ServerResponse, status: number, body: unknown, type = 'application/json') {
  res.writeHead(status, { 'content-type': type });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

async function readBody(req: IncomingMessage): Promise<unknown> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text ? (JSON.parse(text) as unknown) : undefined;
}

describe('fuusio API commands', () => {
  let server: Server;
  let baseUrl: string;
  let requests: Recorded[] = [];
  let env: NodeJS.ProcessEnv;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'fuusio-cli-'));
    server = createServer((req, res) => {
      void (async () => {
        const u = new URL(req.url ?? '/', 'http://localhost');
        const body = await readBody(req);
        requests.push({ method: req.method ?? '', path: u.pathname, query: u.searchParams, authorization: req.headers.authorization, body });
        if (req.headers.authorization !== 'Bearer test-token') {
          return send(res, 401, { error: 'unauthorized', message: 'a valid bearer token is required', details: [] });
        }
        const route = `${req.method} ${u.pathname}`;
        const id = encodeURIComponent(DETAIL.workflowId);
        switch (route) {
          case 'GET /api/workflows': {
            const page = PAGES[u.searchParams.get('cursor') ?? ''];
            return page ? send(res, 200, page) : send(res, 400, { error: 'invalid_input', message: 'bad cursor', details: [{ path: 'cursor', message: 'not a valid cursor' }] });
          }
          case `GET /api/workflows/${id}`:
            return send(res, 200, DETAIL);
          case `POST /api/workflows/${id}/decisions`:
            return send(res, 422, {
              error: 'not_in_gate',
              message: 'party 0201256-6 is not in gate board',
              details: [{ path: 'party', message: 'not a party of this gate' }, { path: 'gate', message: 'open parties: 2229500-6' }],
            });
          case `POST /api/workflows/${id}/events`:
            return send(res, 202, { status: 'delivered', workflowId: DETAIL.workflowId, idempotencyKey: (body as { idempotencyKey: string }).idempotencyKey });
          case `POST /api/workflows/${id}/cancel`:
            return send(res, 409, { error: 'point_of_no_return', message: 'the shares were already registered', details: [] });
          case 'POST /api/workflows/onboarding':
            return send(res, 201, { workflowId: DETAIL.workflowId, runId: 'run-123', status: 'running' });
          case `GET /api/workflows/${id}/history`:
            return send(res, 200, { events: [{ eventId: '1', eventType: 'EVENT_TYPE_WORKFLOW_EXECUTION_STARTED' }, { eventId: '2' }] });
          case 'GET /api/audit/verify':
            return send(res, 200, { ok: false, checked: 12, firstBrokenSeq: 7 });
          case 'GET /api/organisations':
            return send(res, 200, u.searchParams.get('after')
              ? { items: [{ businessId: '2229500-6', name: 'SoCom', kind: 'company', region: null, validFrom: '2010-01-01', validTo: null, mergedInto: null }], nextAfter: null }
              : { items: [{ businessId: '0201256-6', name: 'Espoo', kind: 'municipality', region: 'Uusimaa', validFrom: '1970-01-01', validTo: null, mergedInto: null }], nextAfter: '0201256-6' });
          case 'GET /api/companies/2229500-6/shareholders':
            return send(res, 200, {
              company: '2229500-6', at: '2025-01-01',
              holders: [{ businessId: '0201256-6', name: 'Espoo', shares: 150, ranges: [{ first: 1, last: 100 }, { first: 201, last: 250 }] }],
              totals: { holders: 1, sharesHeld: 150, sharesIssued: 1000 },
            });
          default:
            return send(res, 502, '<html>Bad Gateway</html>', 'text/html');
        }
      })();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    env = { FUUSIO_API_URL: baseUrl, FUUSIO_TOKEN: 'test-token' };
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    rmSync(dir, { recursive: true, force: true });
  });

  beforeEach(() => {
    requests = [];
  });

  it('prints an API error as "error <code>: <message>" with one line per detail and exits 1', async () => {
    const r = await cli(['decide', DETAIL.workflowId, '--gate', 'board', '--party', '0201256-6', '--approve', '--reference', 'B-12/2025'], env);
    expect(r.code).toBe(1);
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'error not_in_gate: party 0201256-6 is not in gate board',
      '  party: not a party of this gate',
      '  gate: open parties: 2229500-6',
    ]);
    expect(r.stdout).toBe('');
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({
      method: 'POST',
      path: `/api/workflows/${encodeURIComponent(DETAIL.workflowId)}/decisions`,
      authorization: 'Bearer test-token',
      body: { gate: 'board', party: '0201256-6', decision: 'approve', reference: 'B-12/2025' },
    });
  });

  it('prints a conflict without details and a non-JSON gateway error by status', async () => {
    const cancel = await cli(['cancel', DETAIL.workflowId, '--reason', 'withdrawn by the applicant'], env);
    expect(cancel.code).toBe(1);
    expect(cancel.stderr).toBe('error point_of_no_return: the shares were already registered\n');
    expect(requests[0]?.body).toEqual({ reason: 'withdrawn by the applicant' });

    const gateway = await cli(['show', 'no-such-route'], env);
    expect(gateway.code).toBe(1);
    expect(gateway.stderr).toBe('error http_502: Bad Gateway\n');
  });

  it('uses --api and --token over the environment, and a wrong token gives the 401 error', async () => {
    const r = await cli(['show', DETAIL.workflowId, '--api', baseUrl, '--token', 'wrong'], { FUUSIO_API_URL: 'http://127.0.0.1:1', FUUSIO_TOKEN: 'test-token' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe('error unauthorized: a valid bearer token is required\n');
    expect(requests[0]?.authorization).toBe('Bearer wrong');
  });

  it('is a usage error (exit 2) to call the API without a token', async () => {
    const r = await cli(['list'], { FUUSIO_API_URL: baseUrl });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no API token: pass --token <token> or set FUUSIO_TOKEN');
    expect(requests).toHaveLength(0);
  });

  it('fails with exit code 1 when the API cannot be reached', async () => {
    // A port that was just free: nothing listens there now.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const r = await cli(['list'], { FUUSIO_API_URL: `http://127.0.0.1:${port}`, FUUSIO_TOKEN: 't' });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`error: cannot reach the API at http://127.0.0.1:${port}: connect ECONNREFUSED 127.0.0.1:${port}\n`);
  });

  it('list --all follows nextCursor to the last page', async () => {
    const r = await cli(['list', '--all', '--kind', 'onboarding', '--overdue', '--health', 'red', '--waiting-for', 'board'], env);
    expect(r.code).toBe(0);
    expect(requests.map((q) => q.query.get('cursor'))).toEqual([null, 'c1', 'c2']);
    for (const q of requests) {
      expect(q.query.get('kind')).toBe('onboarding');
      expect(q.query.get('overdue')).toBe('true');
      expect(q.query.get('health')).toBe('red');
      expect(q.query.get('waitingFor')).toBe('board');
      expect(q.query.get('limit')).toBe('200');
    }
    const lines = r.stdout.split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^WORKFLOW ID\s+KIND\s+STATUS\s+HEALTH\s+STAGE\s+PERCENT\s+NEXT DEADLINE\s+WAITING FOR$/);
    expect(lines.slice(1).map((l) => l.split(/\s+/)[0])).toEqual(['wf-1', 'wf-2', 'wf-3', 'wf-4']);
    expect(lines[1]).toMatch(/wf-1\s+onboarding\s+running\s+red: overdue\s+board-decision\s+40%\s+2025-04-01 08:00Z\s+board of 2229500-6/);
    expect(lines[3]).toMatch(/wf-3\s+onboarding\s+completed\s+green: closed\s+board-decision\s+100%\s+2025-04-01 08:00Z\s+-$/);
  });

  it('list --all --json gives all items in one answer; without --all it shows one page and the next cursor', async () => {
    const all = await cli(['list', '--all', '--json'], env);
    expect(all.code).toBe(0);
    const parsed = JSON.parse(all.stdout) as { items: { workflowId: string }[]; nextCursor: string | null };
    expect(parsed.items.map((i) => i.workflowId)).toEqual(['wf-1', 'wf-2', 'wf-3', 'wf-4']);
    expect(parsed.nextCursor).toBeNull();

    requests = [];
    const one = await cli(['list', '--limit', '2'], env);
    expect(one.code).toBe(0);
    expect(requests).toHaveLength(1);
    expect(requests[0]?.query.get('limit')).toBe('2');
    expect(one.stdout).toContain('--cursor c1');
    expect(one.stdout).not.toContain('wf-3');
  });

  it('list rejects a bad --limit, --status or --org as usage errors', async () => {
    const limit = await cli(['list', '--limit', '500'], env);
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('must be a whole number from 1 to 200');
    const status = await cli(['list', '--status', 'sleeping'], env);
    expect(status.code).toBe(2);
    const org = await cli(['list', '--org', 'FI22295006'], env);
    expect(org.code).toBe(2);
    expect(org.stderr).toContain('drop the country prefix');
    expect(requests).toHaveLength(0);
  });

  it('show prints the title, status, a progress bar, stages, pending approvals and steps', async () => {
    const r = await cli(['show', DETAIL.workflowId], env);
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Onboarding Espoo into SoCom');
    expect(r.stdout).toContain('[########------------]  40%');
    expect(r.stdout).toMatch(/status:\s+running/);
    expect(r.stdout).toMatch(/stage:\s+board-decision/);
    expect(r.stdout).toMatch(/application\s+Application\s+done\s+2025-03-01 08:00Z\s+2025-03-01 08:01Z/);
    expect(r.stdout).toMatch(/payment\s+Payment\s+pending\s+-\s+-/);
    expect(r.stdout).toMatch(/Pending approvals\n\s+GATE\s+PARTY\s+BODY\s+DUE\n\s+board\s+2229500-6\s+Board of SoCom\s+2025-04-01 08:00Z/);
    expect(r.stdout).toMatch(/Steps\n\s+STEP.*\n\s+board-approval\s+board-decision\s+Board approval\s+running/);

    const json = await cli(['show', DETAIL.workflowId, '--json'], env);
    expect(JSON.parse(json.stdout)).toEqual(DETAIL);
  });

  it('launch posts the JSON body from --json-body or --file and prints workflowId and runId', async () => {
    const input = { company: '2229500-6', applicant: { name: 'Espoo', businessId: '0201256-6', kind: 'municipality' }, shares: 10, pricePerShareCents: 100 };
    const inline = await cli(['launch', 'onboarding', '--json-body', JSON.stringify(input)], env);
    expect(inline.code).toBe(0);
    expect(inline.stdout).toMatch(/workflowId: onboarding:2229500-6:0201256-6/);
    expect(inline.stdout).toMatch(/runId:\s+run-123/);
    expect(requests[0]).toMatchObject({ method: 'POST', path: '/api/workflows/onboarding', body: input });

    const file = join(dir, 'input.json');
    writeFileSync(file, JSON.stringify(input));
    const fromFile = await cli(['launch', 'onboarding', '--file', file, '--json'], env);
    expect(fromFile.code).toBe(0);
    expect(JSON.parse(fromFile.stdout)).toEqual({ workflowId: DETAIL.workflowId, runId: 'run-123', status: 'running' });
    expect(requests[1]?.body).toEqual(input);
  });

  it('launch refuses missing, doubled or malformed input as usage errors without calling the API', async () => {
    const none = await cli(['launch', 'onboarding'], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('exactly one of --file <path> or --json-body <json>');
    const both = await cli(['launch', 'onboarding', '--json-body', '{}', '--file', 'x.json'], env);
    expect(both.code).toBe(2);
    const bad = await cli(['launch', 'onboarding', '--json-body', '{company:'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--json-body is not valid JSON');
    const missing = await cli(['launch', 'onboarding', '--file', join(dir, 'missing.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('ENOENT');
    const array = await cli(['launch', 'onboarding', '--json-body', '[1]'], env);
    expect(array.code).toBe(2);
    expect(array.stderr).toContain('must be a JSON object');
    expect(requests).toHaveLength(0);
  });

  it('decide and cancel usage errors: exactly one of --approve/--reject, --reason required', async () => {
    const both = await cli(['decide', 'wf-1', '--gate', 'g', '--party', 'p', '--approve', '--reject'], env);
    expect(both.code).toBe(2);
    expect(both.stderr).toContain('exactly one of --approve or --reject');
    const neither = await cli(['decide', 'wf-1', '--gate', 'g', '--party', 'p'], env);
    expect(neither.code).toBe(2);
    const noGate = await cli(['decide', 'wf-1', '--party', 'p', '--reject'], env);
    expect(noGate.code).toBe(2);
    expect(noGate.stderr).toContain("required option '--gate <gate>' not specified");
    const noReason = await cli(['cancel', 'wf-1'], env);
    expect(noReason.code).toBe(2);
    expect(noReason.stderr).toContain("required option '--reason <text>' not specified");
    expect(requests).toHaveLength(0);
  });

  it('event sends type, payload and a random idempotency key unless one is given', async () => {
    const a = await cli(['event', DETAIL.workflowId, '--type', 'payment.received', '--payload', '{"amountCents":1000,"currency":"EUR"}'], env);
    const b = await cli(['event', DETAIL.workflowId, '--type', 'payment.received'], env);
    const c = await cli(['event', DETAIL.workflowId, '--type', 'consent.given', '--idempotency-key', 'erp-42'], env);
    expect([a.code, b.code, c.code]).toEqual([0, 0, 0]);
    const bodies = requests.map((q) => q.body as { type: string; payload: unknown; idempotencyKey: string });
    expect(bodies[0]).toMatchObject({ type: 'payment.received', payload: { amountCents: 1000, currency: 'EUR' } });
    expect(bodies[0]?.idempotencyKey).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(bodies[1]?.payload).toEqual({});
    expect(bodies[1]?.idempotencyKey).not.toBe(bodies[0]?.idempotencyKey);
    expect(bodies[2]?.idempotencyKey).toBe('erp-42');
    expect(c.stdout).toContain('event consent.given: delivered');
    expect(c.stdout).toContain('idempotencyKey: erp-42');

    const badPayload = await cli(['event', DETAIL.workflowId, '--type', 't.x', '--payload', '"text"'], env);
    expect(badPayload.code).toBe(2);
    expect(badPayload.stderr).toContain('--payload must be a JSON object');
  });

  it('audit verify exits 1 and names the first broken seq when the chain is broken', async () => {
    const r = await cli(['audit', 'verify'], env);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('broken at seq 7 (12 events checked)');
    const json = await cli(['audit', 'verify', '--json'], env);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toEqual({ ok: false, checked: 12, firstBrokenSeq: 7 });
  });

  it('organisations follows nextAfter; shareholders shows ranges and totals', async () => {
    const orgs = await cli(['organisations', '--kind', 'municipality', '--at', '2025-01-01'], env);
    expect(orgs.code).toBe(0);
    expect(requests.map((q) => q.query.get('after'))).toEqual([null, '0201256-6']);
    expect(requests[0]?.query.get('at')).toBe('2025-01-01');
    expect(orgs.stdout).toMatch(/0201256-6\s+Espoo\s+municipality\s+Uusimaa/);
    expect(orgs.stdout).toMatch(/2229500-6\s+SoCom/);
    const badDate = await cli(['organisations', '--at', '1.1.2025'], env);
    expect(badDate.code).toBe(2);

    const holders = await cli(['shareholders', '2229500-6', '--at', '2025-01-01'], env);
    expect(holders.code).toBe(0);
    expect(holders.stdout).toMatch(/0201256-6\s+Espoo\s+150\s+1-100, 201-250/);
    expect(holders.stdout).toContain('1 holders, 150 shares held of 1000 issued');
    const badId = await cli(['shareholders', '2229500-5'], env);
    expect(badId.code).toBe(2);
    expect(badId.stderr).toContain('check digit should be 6');
  });

  it('--help lists the commands and exits 0; no command is a usage error', async () => {
    const help = await cli(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['token', 'launch', 'list', 'show', 'decide', 'event', 'cancel', 'history', 'audit', 'organisations', 'shareholders']) {
      expect(help.stdout).toMatch(new RegExp(`^  ${c}\\b`, 'm'));
    }
    const none = await cli([]);
    expect(none.code).toBe(2);
    const unknown = await cli(['frobnicate']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain("unknown command 'frobnicate'");
  });
});
