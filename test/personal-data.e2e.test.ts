import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { type TestApi } from './support/api-harness';
import { cli } from './support/cli';
import { eventually, type TestDatabase } from './support/harness';
import { associationApplication } from './support/onboarding-fixtures';
import { startStack, type Stack } from './support/stack';
import { tamper } from './support/tamper';
import { tablesContaining } from './support/text-search';
import { ERASED_VALUE, forEachSealed, type SealedValue } from '../libs/domain/personal-data';
import { openSealed } from '../libs/temporal/personal-data-sealing';

/**
 * Personal data and the audit trail: a decision's comment that names a person is kept beside the chain
 * (only its salted digest is chained), can be erased on request, and the chain still verifies after.
 */
let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;
let auditor: string;
let workflowId: string;

const PERSON = 'Maija Virtanen';
const COMMENT = `${PERSON} (board secretary) presented the application`;
const SIGNER = 'Matti Meikäläinen';
const MANAGER_ACTOR = 'manager:test-manager-2';
const wfPath = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  admin = await api.token('admin');
  manager = await api.token('manager');
  auditor = await api.token('auditor');

  const application = associationApplication();
  const launched = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: application });
  expect(launched.status).toBe(201);
  workflowId = launched.body.workflowId;
  await stage('board');
  const decided = await api.request('POST', `${wfPath(workflowId)}/decisions`, {
    token: manager, body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', comment: COMMENT, reference: 'Hallitus 3/2026 § 4' },
  });
  expect(decided.status).toBe(200);
  await stage('subscription');
  const signed = await api.request('POST', `${wfPath(workflowId)}/events`, {
    token: admin, body: { type: 'subscription.signed', payload: { signedBy: SIGNER }, idempotencyKey: `${workflowId}:signed` },
  });
  expect(signed.status).toBe(202);
  await stage('payment');
  // Completed, so the workflow's last snapshot (workflow.completed) repeats the board's comment too.
  const paid = await api.request('POST', `${wfPath(workflowId)}/events`, {
    token: admin,
    body: { type: 'payment.received', payload: { amountCents: application.shares * application.pricePerShareCents, currency: 'EUR' }, idempotencyKey: `${workflowId}:paid` },
  });
  expect(paid.status).toBe(202);
  await eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: manager });
    return r.body.status === 'completed' ? true : undefined;
  }, 30_000, 'completed');
});

afterAll(async () => {
  await stack?.stop();
});

async function stage(name: string) {
  await eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: manager });
    return r.body.stage === name && r.body.status === 'running' ? true : undefined;
  }, 30_000, `stage ${name}`);
}

async function verify() {
  return (await api.request('GET', '/api/audit/verify', { token: auditor })).body as { ok: boolean; checked: number; firstBrokenSeq?: number };
}

async function trail(): Promise<any[]> {
  return (await api.request('GET', `${wfPath(workflowId)}/audit`, { token: auditor })).body.items;
}

/** Every table that could still hold the text (each text and JSON column the catalogue lists). */
async function placesNaming(text: string): Promise<string[]> {
  return tablesContaining(db.pool, text);
}

describe('personal fields are kept beside the chain, not in it', () => {
  test('the decision comment is in no chained payload; its rows carry a digest and the fields beside them', async () => {
    const rows = await trail();
    const withPersonal = rows.filter((r) => r.personal);
    for (const r of withPersonal) {
      expect(JSON.stringify(r.payload)).not.toContain(PERSON);
      expect(r.payload.personalDigest).toMatch(/^[0-9a-f]{64}$/);
      expect(Object.values(r.personal)).toContain(COMMENT);
    }
    // The API's decision event and the workflow's approval event are the manager's; the workflow's last
    // snapshot repeats the comment under its own actor.
    expect(withPersonal.filter((r) => r.actor === MANAGER_ACTOR).length).toBeGreaterThanOrEqual(2);
    expect(withPersonal.filter((r) => r.actor !== MANAGER_ACTOR).map((r) => [r.actor, r.action])).toEqual([['system:fuusio', 'workflow.completed']]);
    expect(await placesNaming(PERSON)).toEqual(['approvals', 'audit_personal']);
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('the database refuses to delete or rewrite kept personal fields; only an erasure may change them', async () => {
    const seq = (await trail()).find((r) => r.personal)!.seq;
    await expect(db.pool.query('DELETE FROM audit_personal WHERE seq = $1', [seq])).rejects.toThrow(/never removed/);
    await expect(db.pool.query(`UPDATE audit_personal SET fields = '{"comment":"other"}' WHERE seq = $1`, [seq])).rejects.toThrow(/only an erasure/);
    await expect(db.pool.query('UPDATE audit_personal SET fields = NULL, salt = NULL, erased_at = now() WHERE seq = $1', [seq])).rejects.toThrow(/only an erasure/);
  });

  test('one byte changed in a kept personal field (by a superuser with triggers off) is detected at its row', async () => {
    const seq = (await trail()).find((r) => r.personal)!.seq;
    const before = (await db.pool.query('SELECT fields FROM audit_personal WHERE seq = $1', [seq])).rows[0].fields;
    const changed = JSON.parse(JSON.stringify(before).replace('Maija', 'Maijb'));
    await tamper(db.pool, 'UPDATE audit_personal SET fields = $1 WHERE seq = $2', [changed, seq]);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
    } finally {
      await tamper(db.pool, 'UPDATE audit_personal SET fields = $1 WHERE seq = $2', [before, seq]);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('an exported bundle holds neither the comment nor the event payload’s names, and still replays', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fuusio-personal-'));
    const env = { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor };
    const out = join(dir, 'bundle.json');
    const exported = await cli(['history', workflowId, '--out', out], env);
    expect(exported).toMatchObject({ code: 0 });
    const text = readFileSync(out, 'utf8');
    const decoded = decodeAllPayloads(JSON.parse(text));
    expect(text + decoded).not.toContain(PERSON);
    expect(decoded).not.toContain(SIGNER);
    expect(decoded).toContain('[personal data removed]');
    expect(text).toContain('personalDigest');
    // What was removed was there, sealed: the API sealed the comment and the untyped event's payload on their way
    // into Temporal, so the history the API serves holds neither name readable; the workers' keys open them.
    const served = decodeAllPayloads((await api.request('GET', `${wfPath(workflowId)}/history`, { token: auditor })).body);
    expect(served).not.toContain(SIGNER);
    expect(served).not.toContain(PERSON);
    expect(await openedSealed()).toEqual([COMMENT, { signedBy: SIGNER }]);
    const replayed = await cli(['replay', '--from', out], env);
    expect(replayed).toMatchObject({ code: 0 });
  });
});

describe('erasure', () => {
  test('only an admin may erase, with a reason; bad input is a 400 naming the field', async () => {
    const asAuditor = await api.request('POST', '/api/audit/erasures', { token: auditor, body: { workflowId, reason: 'request 17' } });
    expect(asAuditor.status).toBe(403);
    const noReason = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId } });
    expect(noReason.status).toBe(400);
    expect(noReason.body.details).toEqual([expect.objectContaining({ path: 'reason' })]);
    const badActor = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId, actor: 'Maija', reason: 'request 17' } });
    expect(badActor.status).toBe(400);
    expect(badActor.body.details).toEqual([expect.objectContaining({ path: 'actor' })]);
    const unknown = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId: 'onboarding:none', reason: 'request 17' } });
    expect(unknown.status).toBe(404);
    expect(await placesNaming(PERSON)).toEqual(['approvals', 'audit_personal']);
  });

  test('erasing what the manager wrote removes the name everywhere, keeps the chain verifiable and is itself recorded once', async () => {
    const requestId = `erase-${randomUUID()}`;
    const body = { workflowId, actor: MANAGER_ACTOR, reason: 'erasure request 2026/17' };
    const r = await api.request('POST', '/api/audit/erasures', { token: admin, body, headers: { 'x-request-id': requestId } });
    expect(r.status).toBe(201);
    expect(r.body.erased).toBeGreaterThanOrEqual(2);
    expect(r.body.seqs).toHaveLength(r.body.erased);

    expect(await placesNaming(PERSON)).toEqual([]);
    expect(await verify()).toMatchObject({ ok: true });
    const rows = await trail();
    for (const seq of r.body.seqs) {
      const row = rows.find((x) => x.seq === seq);
      expect(row).toMatchObject({ personal: null, personalErasedAt: expect.any(String), payload: { personalDigest: expect.any(String) } });
    }
    const erasure = rows.filter((x) => x.action === 'personal-data.erased');
    expect(erasure).toEqual([expect.objectContaining({
      seq: r.body.auditSeq, actor: 'admin:test-admin-1',
      payload: { seqs: r.body.seqs, shreddedKeys: r.body.shreddedKeys, writtenBy: MANAGER_ACTOR, erasureReason: body.reason, requestId },
    })]);
    // The manager's key is shredded: the comment sealed in Temporal's history can no longer be read.
    expect(r.body.shreddedKeys).toHaveLength(1);
    expect(await openedSealed()).toEqual([ERASED_VALUE, { signedBy: SIGNER }]);
    // The workflow only carried the sealed comment, so its history replays as before.
    const replayed = await cli(['replay', workflowId], { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor });
    expect(replayed).toMatchObject({ code: 0 });

    // The live projection and the one rebuilt from the trail still agree, now without the comment.
    const state = (await api.request('GET', `${wfPath(workflowId)}/state`, { token: auditor })).body;
    const board = state.approvals.find((a: any) => a.gate === 'board');
    expect(board).toMatchObject({ status: 'approved', reference: 'Hallitus 3/2026 § 4' });
    expect(board.comment ?? null).toBeNull();
    const live = await db.pool.query(`SELECT comment, reference FROM approvals WHERE workflow_id = $1 AND gate = 'board'`, [workflowId]);
    expect(live.rows).toEqual([{ comment: null, reference: 'Hallitus 3/2026 § 4' }]);

    // The same request again erases nothing more and records nothing more.
    const again = await api.request('POST', '/api/audit/erasures', { token: admin, body, headers: { 'x-request-id': requestId } });
    expect(again.status).toBe(201);
    expect(again.body).toMatchObject({ erased: 0, seqs: [], shreddedKeys: [], auditSeq: null });
    expect((await trail()).filter((x) => x.action === 'personal-data.erased')).toHaveLength(1);
  });

  test("erasing the whole workflow clears the stored event payloads too: the signer's name is then in no table", async () => {
    expect(await placesNaming(SIGNER)).toEqual(['inbound_events']);
    // Scoped to an actor, an erasure clears only the events that actor sent (the admin sent these).
    const others = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId, actor: 'integration:bank', reason: 'erasure request 2026/18' } });
    expect(others.body).toMatchObject({ clearedEvents: [], auditSeq: null });
    expect(await placesNaming(SIGNER)).toEqual(['inbound_events']);
    const r = await api.request('POST', '/api/audit/erasures', { token: admin, body: { workflowId, reason: 'erasure request 2026/18' } });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ erased: 0, seqs: [], clearedEvents: [`${workflowId}:signed`, `${workflowId}:paid`].sort() });
    expect(await placesNaming(SIGNER)).toEqual([]);
    expect(await placesNaming(PERSON)).toEqual([]);
    // The admin's key, which sealed the signature's payload in Temporal's history, is shredded with them.
    expect(r.body.shreddedKeys).toHaveLength(1);
    expect(await openedSealed()).toEqual([ERASED_VALUE]);
    // What stays of each event is what deduplicates it: a repeat is still recognised, and nothing is delivered twice.
    const again = await api.request('POST', '/api/events', {
      token: admin, body: { type: 'subscription.signed', businessKey: workflowId, payload: { signedBy: SIGNER }, idempotencyKey: `${workflowId}:signed` },
    });
    expect(again).toMatchObject({ status: 202, body: { status: 'duplicate', workflowId } });
    const stored = await db.pool.query('SELECT idempotency_key, type, status, payload, detail FROM inbound_events WHERE workflow_id = $1 ORDER BY 1', [workflowId]);
    expect(stored.rows).toEqual([`${workflowId}:paid`, `${workflowId}:signed`].map((key) => expect.objectContaining({ idempotency_key: key, payload: {}, detail: 'payload erased' })));
    const erasure = (await trail()).filter((x) => x.action === 'personal-data.erased').pop();
    expect(erasure).toMatchObject({ seq: r.body.auditSeq, payload: { clearedEvents: r.body.clearedEvents, erasureReason: 'erasure request 2026/18' } });
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('events that matched no workflow are erased by their business key, by an unscoped admin only', async () => {
    const businessKey = 'onboarding:0000000-0:unknown';
    const stranger = 'Ville Vallaton';
    const sent = await api.request('POST', '/api/events', {
      token: admin, body: { type: 'subscription.signed', businessKey, payload: { signedBy: stranger }, idempotencyKey: 'unmatched-signature-1' },
    });
    expect(sent.body).toMatchObject({ status: 'unmatched' });
    expect(await placesNaming(stranger)).toEqual(['inbound_events']);
    const body = { workflowId: businessKey, reason: 'erasure request 2026/19' };
    const scoped = await api.request('POST', '/api/audit/erasures', { token: await api.token('admin', SOCOM_BUSINESS_ID), body });
    expect(scoped.status).toBe(404);
    const r = await api.request('POST', '/api/audit/erasures', { token: admin, body });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ workflowId: businessKey, erased: 0, clearedEvents: ['unmatched-signature-1'], auditSeq: expect.any(Number) });
    expect(await placesNaming(stranger)).toEqual([]);
    const again = await api.request('POST', '/api/audit/erasures', { token: admin, body });
    expect(again.body).toMatchObject({ clearedEvents: [], auditSeq: null });
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('the CLI erases too (nothing left here) and exits 0; without --reason it exits non-zero', async () => {
    const env = { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: admin };
    const ok = await cli(['audit', 'erase', workflowId, '--reason', 'request 18'], env);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('no personal data left to erase') });
    const missing = await cli(['audit', 'erase', workflowId], env);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('--reason');
    expect(await verify()).toMatchObject({ ok: true });
  });
});

/** The distinct values sealed in the workflow's Temporal history, as the worker would open them now (in order of first use). */
async function openedSealed(): Promise<unknown[]> {
  const history = (await api.request('GET', `${wfPath(workflowId)}/history`, { token: auditor })).body;
  const sealed: SealedValue[] = [];
  for (const text of decodedPayloads(history)) forEachSealed(jsonOrNull(text), (v) => sealed.push(v));
  expect(sealed.length).toBeGreaterThan(0);
  const opened = (await openSealed(db.pool, sealed)) as unknown[];
  return [...new Map(opened.map((v) => [JSON.stringify(v), v])).values()];
}

function jsonOrNull(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return null;
  }
}

/** Every base64 JSON payload in an exported bundle, decoded and joined, so a test can search their text. */
function decodeAllPayloads(value: unknown): string {
  return decodedPayloads(value).join('\n');
}

function decodedPayloads(value: unknown): string[] {
  const found: string[] = [];
  const walk = (v: unknown) => {
    if (Array.isArray(v)) return v.forEach(walk);
    if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.data === 'string' && o.metadata) found.push(Buffer.from(o.data, 'base64').toString('utf8'));
      Object.values(o).forEach(walk);
    }
  };
  walk(value);
  return found;
}
