import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { hashToken } from '../libs/db/repositories/token.repository';
import { startApi, type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { associationLaunchBody, freshBusinessId } from './support/onboarding-fixtures';
import { startStack, type WorkerStack } from './support/stack';

// The API of this file writes its request log here, as JSON lines, so the tests can read what it logs.
const logLines: string[] = [];
const logStream = { write: (line: string) => void logLines.push(line) };

let stack: WorkerStack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;
let kotka: string;
/** Tokens scoped to Kotka, which takes no part in the onboarding below. */
let kotkaTokens: { integration: string; manager: string; auditor: string; admin: string };
/** An onboarding of Socom and a fresh association, waiting for the subscription to be signed. */
let foreignId: string;

beforeAll(async () => {
  stack = await startStack({ api: false });
  db = stack.db;
  api = await startApi(db, stack.temporal, { log: { stream: logStream } });
  [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
  kotka = (await db.pool.query<{ business_id: string }>(`SELECT business_id FROM organisations WHERE name = 'Kotka'`)).rows[0]!.business_id;
  const [integration, kManager, auditor, kAdmin] = await Promise.all([
    api.token('integration', kotka), api.token('manager', kotka), api.token('auditor', kotka), api.token('admin', kotka),
  ]);
  kotkaTokens = { integration, manager: kManager, auditor, admin: kAdmin };

  const launched = await api.request('POST', '/api/workflows/onboarding', {
    token: admin,
    body: associationLaunchBody(),
  });
  expect(launched.status).toBe(201);
  foreignId = launched.body.workflowId;
  await waitForStage(foreignId, 'board');
  const decided = await api.request('POST', `${path(foreignId)}/decisions`, {
    token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', comment: 'Tervetuloa', reference: 'Hallitus 1/2026' },
  });
  expect(decided.status).toBe(200);
  await waitForStage(foreignId, 'subscription');
});

afterAll(async () => {
  await api?.close();
  await stack?.stop();
});

function path(id: string) {
  return `/api/workflows/${encodeURIComponent(id)}`;
}

async function waitForStage(id: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', path(id), { token: manager });
    return r.status === 200 && r.body.stage === stage ? r.body : undefined;
  }, 20_000, `${id} at ${stage}`);
}

/** What nobody may learn from an answer about a workflow out of their scope. */
function expectNoLeak(body: unknown, id: string) {
  const text = JSON.stringify(body);
  for (const secret of [id, encodeURIComponent(id), 'subscription', 'board', 'Socom', SOCOM_BUSINESS_ID]) expect(text).not.toContain(secret);
}

async function tracesOf(idempotencyKey: string) {
  const r = await db.pool.query(
    `SELECT (SELECT count(*) FROM inbound_events WHERE idempotency_key = $1)::int AS events,
            (SELECT count(*) FROM audit_events WHERE payload ->> 'idempotencyKey' = $1)::int AS audit`,
    [idempotencyKey],
  );
  return r.rows[0];
}

describe('one scope policy for every way a request names a workflow', () => {
  test("a Kotka token cannot move another organisation's onboarding by business key: 404 as for an unknown key, nothing written, nothing disclosed", async () => {
    const event = { type: 'subscription.signed', businessKey: foreignId, payload: {}, idempotencyKey: 'kotka-signs-1' };
    const refused = await api.request('POST', '/api/events', { token: kotkaTokens.integration, body: event });
    const unknown = await api.request('POST', '/api/events', {
      token: kotkaTokens.integration, body: { ...event, businessKey: 'onboarding:nobody', idempotencyKey: 'kotka-signs-2' },
    });
    expect(refused.status).toBe(404);
    expect(refused.body).toEqual(unknown.body);
    expect(unknown.status).toBe(404);
    expectNoLeak(refused.body, foreignId);
    expect(await tracesOf('kotka-signs-1')).toEqual({ events: 0, audit: 0 });

    // The workflow did not move, and the Temporal history holds no such update.
    const detail = await api.request('GET', path(foreignId), { token: admin });
    expect(detail.body).toMatchObject({ status: 'running', stage: 'subscription' });
    const history = JSON.stringify((await api.request('GET', `${path(foreignId)}/history`, { token: admin })).body);
    expect(history).not.toContain('kotka-signs-1');

    // An admin token scoped to Kotka is refused the same way.
    const byAdmin = await api.request('POST', '/api/events', { token: kotkaTokens.admin, body: { ...event, idempotencyKey: 'kotka-signs-3' } });
    expect(byAdmin).toEqual(refused);
  });

  test("an idempotency key used for another organisation's workflow does not disclose that workflow", async () => {
    // A bank delivered a payment to that workflow earlier under its own reference.
    await db.pool.query(
      `INSERT INTO inbound_events (idempotency_key, type, business_key, workflow_id, payload, status, received_by)
       VALUES ('bank-ref-77', 'payment.received', $1, $1, '{}', 'delivered', 'integration:bank') ON CONFLICT DO NOTHING`,
      [foreignId],
    );
    // Before: the answer was { status: 'duplicate', workflowId: <the other organisation's workflow> }.
    const replayed = await api.request('POST', '/api/events', {
      token: kotkaTokens.integration, body: { type: 'payment.received', businessKey: 'onboarding:nobody', payload: {}, idempotencyKey: 'bank-ref-77' },
    });
    expect(replayed.status).toBe(404);
    expectNoLeak(replayed.body, foreignId);
  });

  test('detail, history, audit, state, crosscheck, decisions, events and cancel of it answer 404 exactly as for an unknown id', async () => {
    const unknownId = `onboarding:${SOCOM_BUSINESS_ID}:${freshBusinessId()}`;
    const routes: { method: string; suffix: string; token: string; body?: unknown }[] = [
      { method: 'GET', suffix: '', token: kotkaTokens.manager },
      { method: 'GET', suffix: '/history', token: kotkaTokens.auditor },
      { method: 'GET', suffix: '/audit', token: kotkaTokens.auditor },
      { method: 'GET', suffix: '/state?at=2030-01-01T00:00:00Z', token: kotkaTokens.auditor },
      { method: 'GET', suffix: '/crosscheck', token: kotkaTokens.auditor },
      { method: 'POST', suffix: '/decisions', token: kotkaTokens.manager, body: { gate: 'board', party: kotka, decision: 'approve' } },
      { method: 'POST', suffix: '/events', token: kotkaTokens.manager, body: { type: 'subscription.signed', payload: {}, idempotencyKey: 'kotka-path-1' } },
      // A malformed body gets no 400 either: the scope is decided before the body is read.
      { method: 'POST', suffix: '/events', token: kotkaTokens.manager, body: { type: '' } },
      { method: 'POST', suffix: '/cancel', token: kotkaTokens.admin, body: { reason: 'not ours to cancel' } },
    ];
    for (const r of routes) {
      const outOfScope = await api.request(r.method, `${path(foreignId)}${r.suffix}`, { token: r.token, body: r.body });
      const unknown = await api.request(r.method, `${path(unknownId)}${r.suffix}`, { token: r.token, body: r.body });
      expect({ route: `${r.method} ${r.suffix}`, status: outOfScope.status }).toEqual({ route: `${r.method} ${r.suffix}`, status: 404 });
      expect(outOfScope.body).toEqual(unknown.body);
      expectNoLeak(outOfScope.body, foreignId);
    }
    expect((await api.request('POST', '/api/audit/erasures', { token: kotkaTokens.admin, body: { workflowId: foreignId, reason: 'not ours' } })).status).toBe(404);
    expect(await tracesOf('kotka-path-1')).toEqual({ events: 0, audit: 0 });
    expect((await api.request('GET', path(foreignId), { token: admin })).body).toMatchObject({ status: 'running', stage: 'subscription' });

    // Lists and counts leave it out.
    const listed = await api.request('GET', '/api/workflows?limit=200', { token: kotkaTokens.manager });
    expect(listed.body.items.map((i: { workflowId: string }) => i.workflowId)).not.toContain(foreignId);
    expect((await api.request('GET', `/api/workflows/counts?q=${encodeURIComponent(foreignId)}`, { token: kotkaTokens.manager })).body.total).toBe(0);
  });
});

describe('tokens', () => {
  test('an admin creates a token with an expiry, lists tokens without secrets, and revokes it: it is refused from then on, and both are audited', async () => {
    const created = await api.request('POST', '/api/tokens', {
      token: admin, body: { name: 'erp-import', role: 'auditor', expiresAt: '2999-01-01T00:00:00Z' }, headers: { 'x-request-id': 'token-create-1' },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ name: 'erp-import', role: 'auditor', organisation: null, expiresAt: '2999-01-01T00:00:00.000Z', revokedAt: null });
    const secret = created.body.token as string;
    expect(secret).toMatch(/^fuusio_auditor_/);
    expect((await api.request('GET', '/api/audit/verify', { token: secret })).status).toBe(200);

    const listed = await api.request('GET', '/api/tokens', { token: admin });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toContainEqual({
      id: created.body.id, name: 'erp-import', role: 'auditor', organisation: null, personId: null, createdAt: expect.any(String), expiresAt: '2999-01-01T00:00:00.000Z', revokedAt: null, state: 'active',
    });
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    expect(JSON.stringify(listed.body)).not.toContain(hashToken(secret));
    // A scoped admin sees only its organisation's tokens; other roles may not manage tokens at all.
    const scopedList = await api.request('GET', '/api/tokens', { token: kotkaTokens.admin });
    expect(scopedList.body.items.length).toBeGreaterThan(0);
    expect(scopedList.body.items.every((t: { organisation: string }) => t.organisation === kotka)).toBe(true);
    expect((await api.request('GET', '/api/tokens', { token: manager })).status).toBe(403);
    expect((await api.request('POST', `/api/tokens/${created.body.id}/revoke`, { token: kotkaTokens.admin, body: {} })).status).toBe(404);

    const revoked = await api.request('POST', `/api/tokens/${created.body.id}/revoke`, {
      token: admin, body: { reason: 'integration retired' }, headers: { 'x-request-id': 'token-revoke-1' },
    });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.body.id, revokedAt: expect.any(String), state: 'revoked' });
    const refused = await api.request('GET', '/api/audit/verify', { token: secret });
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('unauthenticated');
    expect((await api.request('POST', `/api/tokens/${created.body.id}/revoke`, { token: admin, body: {} })).status).toBe(409);
    expect((await api.request('POST', '/api/tokens/999999/revoke', { token: admin, body: {} })).status).toBe(404);

    const audit = await db.pool.query(
      `SELECT action, actor, payload FROM audit_events WHERE idempotency_key IN ('api#token-create-1', 'api#token-revoke-1') ORDER BY seq`,
    );
    expect(audit.rows).toEqual([
      { action: 'api.token.created', actor: expect.stringMatching(/^admin:/), payload: expect.objectContaining({ tokenId: created.body.id, expiresAt: '2999-01-01T00:00:00.000Z' }) },
      { action: 'api.token.revoked', actor: expect.stringMatching(/^admin:/), payload: expect.objectContaining({ tokenId: created.body.id, reason: 'integration retired' }) },
    ]);
    expect(JSON.stringify(audit.rows)).not.toContain(secret);
  });

  test('an expired token gets 401; an expiry in the past or not a date-time is refused at creation and writes nothing', async () => {
    const created = await api.request('POST', '/api/tokens', { token: admin, body: { name: 'short-lived', role: 'manager', expiresAt: '2999-01-01T00:00:00+02:00' } });
    expect(created.status).toBe(201);
    expect((await api.request('GET', '/api/workflows', { token: created.body.token })).status).toBe(200);
    // Its time runs out (the database's clock decides).
    await db.pool.query(`UPDATE api_tokens SET created_at = now() - interval '2 days', expires_at = now() - interval '1 second' WHERE id = $1`, [created.body.id]);
    expect((await api.request('GET', '/api/workflows', { token: created.body.token })).status).toBe(401);
    const listed = await api.request('GET', '/api/tokens', { token: admin });
    expect(listed.body.items.find((t: { id: number }) => t.id === created.body.id)).toMatchObject({ state: 'expired', revokedAt: null });

    const before = (await db.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n;
    const past = await api.request('POST', '/api/tokens', { token: admin, body: { name: 'x', role: 'manager', expiresAt: '2001-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect(past.body.details).toEqual([{ path: 'expiresAt', message: expect.stringContaining('must be in the future') }]);
    const notATime = await api.request('POST', '/api/tokens', { token: admin, body: { name: 'x', role: 'manager', expiresAt: 'next week' } });
    expect(notATime.status).toBe(400);
    expect(notATime.body.details).toEqual([{ path: 'expiresAt', message: expect.stringContaining('date-time') }]);
    const wider = await api.request('POST', '/api/tokens', { token: kotkaTokens.admin, body: { name: 'x', role: 'admin' } });
    expect(wider.status).toBe(403);
    expect((await db.pool.query('SELECT count(*)::int AS n FROM api_tokens')).rows[0].n).toBe(before);
  });

  test('the Bearer scheme is case-insensitive', async () => {
    for (const scheme of ['bearer', 'BEARER', 'Bearer', 'bEaReR']) {
      const r = await api.request('GET', '/api/me', { headers: { authorization: `${scheme} ${manager}` } });
      expect({ scheme, status: r.status }).toEqual({ scheme, status: 200 });
    }
    expect((await api.request('GET', '/api/me', { headers: { authorization: `Basic ${manager}` } })).status).toBe(401);
  });

  test('a token in the query string is refused everywhere but GET /api/stream', async () => {
    for (const p of ['/api/workflows', '/api/me', '/api/tokens', `${path(foreignId)}`]) {
      const r = await api.request('GET', `${p}${p.includes('?') ? '&' : '?'}access_token=${encodeURIComponent(admin)}`);
      expect({ p, status: r.status }).toEqual({ p, status: 401 });
      expect(r.body.message).toContain('only by GET /api/stream');
    }
    const stream = await openStream(`?access_token=${encodeURIComponent(manager)}`);
    expect(stream.status).toBe(200);
    expect(stream.firstChunk).toContain('event: ready');
  });

  test('the request log never holds a token: not the header, not the stream URL, not a refused query', async () => {
    const streamToken = await api.token('manager');
    const stream = await openStream(`?access_token=${encodeURIComponent(streamToken)}&since=now`);
    expect(stream.status).toBe(200);
    const elsewhere = await api.token('admin');
    expect((await api.request('GET', `/api/workflows?access_token=${encodeURIComponent(elsewhere)}`)).status).toBe(401);
    const header = await api.token('auditor');
    expect((await api.request('GET', '/api/audit/verify', { token: header })).status).toBe(200);

    const streamLine = await eventually(async () => logLines.find((l) => l.includes('since=now')), 10_000, 'the log line of the stream request');
    expect(JSON.parse(streamLine).req.url).toBe('/api/stream?access_token=[Redacted]&since=now');
    await eventually(async () => (logLines.some((l) => l.includes('/api/audit/verify')) ? true : undefined), 10_000, 'the log line of the verify request');
    const log = logLines.join('');
    expect(log).toContain('/api/workflows?access_token=[Redacted]');
    for (const token of [streamToken, elsewhere, header]) {
      expect(log).not.toContain(token);
      expect(log).not.toContain(encodeURIComponent(token));
    }
  });
});

/** Opens the event stream, reads its first chunk and closes it. */
async function openStream(query: string): Promise<{ status: number; firstChunk: string }> {
  const abort = new AbortController();
  try {
    const res = await fetch(`${api.baseUrl}/api/stream${query}`, { signal: abort.signal });
    if (res.status !== 200 || !res.body) return { status: res.status, firstChunk: await res.text() };
    const reader = res.body.getReader();
    const { value } = await reader.read();
    return { status: res.status, firstChunk: new TextDecoder().decode(value) };
  } finally {
    abort.abort();
  }
}
