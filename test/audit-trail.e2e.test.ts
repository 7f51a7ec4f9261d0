import { cli } from './support/cli';
import { randomInt, randomUUID } from 'node:crypto';
import { run } from '../apps/cli/program';
import { SOCOM_BUSINESS_ID, THL_BUSINESS_ID } from '../infra/seed/demo-data';
import { businessIdCheckDigit } from '../libs/domain/business-id';
import { withTransaction } from '../libs/db/pool';
import { createTokenWithAudit, recordApiEvent } from '../libs/db/repositories/api-audit';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { hashToken } from '../libs/db/repositories/token.repository';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { associationApplication } from './support/onboarding-fixtures';
import { oneByte, tamper } from './support/tamper';
import { leafHash, verifyConsistency, verifyInclusion } from '../libs/domain/merkle';
import { verifyCheckpointSignature } from '../libs/audit/signing';
import { createPublicKey } from 'node:crypto';
import { startStack, type Stack } from './support/stack';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;
let auditor: string;

type AuditRow = {
  seq: number; idempotencyKey: string; workflowId: string | null; action: string; actor: string;
  occurredAt: string; payload: Record<string, any>; prevHash: string; hash: string;
};

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  // The harness names its tokens test-<role>-<n> in creation order.
  admin = await api.token('admin');
  manager = await api.token('manager');
  auditor = await api.token('auditor');
});

afterAll(async () => {
  await stack?.stop();
});

const ADMIN_ACTOR = 'admin:test-admin-1';
const MANAGER_ACTOR = 'manager:test-manager-2';

/**
 * associationApplication() with an applicant id from a random 7xxxxxx base: freshBusinessId() restarts from
 * the same pid-based base in every test file a jest worker runs, so two files in one worker (one Temporal
 * namespace per run) can collide on a workflow id.
 */
function application() {
  const base = associationApplication();
  for (;;) {
    const digits = String(7_000_000 + randomInt(1_000_000));
    const check = businessIdCheckDigit(digits);
    if (check !== null) return { ...base, applicant: { ...base.applicant, businessId: `${digits}-${check}` } };
  }
}

const reqId = (what: string) => `${what}-${randomUUID()}`;
const wfPath = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

async function call(method: string, path: string, token: string, body: unknown, requestId?: string) {
  return api.request(method, path, { token, body, ...(requestId ? { headers: { 'x-request-id': requestId } } : {}) });
}

async function waitForStage(workflowId: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: manager });
    return r.status === 200 && r.body.stage === stage && r.body.status === 'running' ? r.body : undefined;
  }, 20_000, `${workflowId} at ${stage}`);
}

async function waitForEnd(workflowId: string) {
  return eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: manager });
    return r.status === 200 && r.body.status !== 'running' ? r.body : undefined;
  }, 30_000, `${workflowId} to end`);
}

async function auditCount(): Promise<number> {
  return (await db.pool.query<{ n: number }>('SELECT count(*)::int AS n FROM audit_events')).rows[0]!.n;
}

async function seqOf(idempotencyKey: string): Promise<number> {
  const r = await db.pool.query('SELECT seq FROM audit_events WHERE idempotency_key = $1', [idempotencyKey]);
  expect(r.rows).toHaveLength(1);
  return Number(r.rows[0].seq);
}

async function workflowAudit(id: string): Promise<AuditRow[]> {
  const r = await api.request('GET', `${wfPath(id)}/audit`, { token: auditor });
  expect(r.status).toBe(200);
  return r.body.items as AuditRow[];
}

async function verify() {
  const r = await api.request('GET', '/api/audit/verify', { token: auditor });
  expect(r.status).toBe(200);
  return r.body as { ok: boolean; checked: number; firstBrokenSeq?: number; problems: { kind: string; reason: string; seq?: number }[] };
}

async function checkpoint() {
  const r = await api.request('POST', '/api/audit/checkpoints', { token: auditor });
  expect(r.status).toBe(200);
  return r.body.checkpoint as { treeSize: number; rootHash: string; signedAt: string; keyId: string; signature: string } | null;
}

function expectRecent(iso: string, since: number) {
  const t = Date.parse(iso);
  expect(Number.isNaN(t)).toBe(false);
  expect(t).toBeGreaterThanOrEqual(since - 1000);
  expect(t).toBeLessThanOrEqual(Date.now() + 1000);
}

/** Set once the first test has run a whole onboarding; later tests use it. */
let completedId = '';
let decisionKey = '';
let cancelledId = '';

describe('every state-changing API call is an audit event', () => {
  test('a completed onboarding leaves launch, decision, events and routed events with actor, request id and time', async () => {
    const since = Date.now();
    const input = application();
    const launchReq = reqId('launch');
    const launched = await call('POST', '/api/workflows/onboarding', admin, input, launchReq);
    expect(launched.status).toBe(201);
    const id = launched.body.workflowId as string;
    completedId = id;

    await waitForStage(id, 'board');

    // A refused call (422: the party is not in the gate) writes nothing at all.
    const before = await auditCount();
    const refusedReq = reqId('refused');
    const refused = await call('POST', `${wfPath(id)}/decisions`, manager, { gate: 'board', party: THL_BUSINESS_ID, decision: 'approve' }, refusedReq);
    expect(refused.status).toBe(422);
    expect(refused.body.error).toBe('not_in_gate');
    // Wrong role (403) and malformed body (400): nothing either.
    expect((await call('POST', `${wfPath(id)}/decisions`, auditor, { gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve' }, reqId('forbidden'))).status).toBe(403);
    expect((await call('POST', `${wfPath(id)}/decisions`, manager, { gate: 'board', decision: 'maybe' }, reqId('bad'))).status).toBe(400);
    expect(await auditCount()).toBe(before);
    expect((await db.pool.query('SELECT 1 FROM audit_events WHERE idempotency_key LIKE $1', [`api#${refusedReq}%`])).rowCount).toBe(0);

    const decideReq = reqId('decide');
    decisionKey = `api#${decideReq}`;
    const decided = await call('POST', `${wfPath(id)}/decisions`, manager, {
      gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', comment: 'articles allow associations', reference: 'Hallitus 7/2024 § 3',
    }, decideReq);
    expect(decided.status).toBe(200);

    await waitForStage(id, 'subscription');
    const signedReq = reqId('signed');
    const signed = await call('POST', `${wfPath(id)}/events`, admin, {
      type: 'subscription.signed', payload: { signedBy: 'Maija Meikäläinen', personalId: '010203-123X' }, idempotencyKey: `${id}:signed`,
    }, signedReq);
    expect(signed).toEqual({ status: 202, body: { status: 'delivered', workflowId: id, idempotencyKey: `${id}:signed` } });

    await waitForStage(id, 'payment');
    const due = input.shares * input.pricePerShareCents;
    // Refused by the workflow (overpayment, 422): no audit row.
    const beforeRefusedEvent = await auditCount();
    const overReq = reqId('over');
    const over = await call('POST', `${wfPath(id)}/events`, admin, {
      type: 'payment.received', payload: { amountCents: due + 1, currency: 'EUR' }, idempotencyKey: `${id}:over`,
    }, overReq);
    expect(over.status).toBe(422);
    expect(over.body.error).toBe('overpayment');
    expect(await auditCount()).toBe(beforeRefusedEvent);

    const routedReq = reqId('routed');
    const routed = await call('POST', '/api/events', admin, {
      type: 'payment.received', businessKey: id, idempotencyKey: `${id}:bank-1`,
      payload: { amountCents: due, currency: 'EUR', payer: 'Matti Meikäläinen', iban: 'FI2112345600000785' },
    }, routedReq);
    expect(routed.body).toEqual({ status: 'delivered', workflowId: id, idempotencyKey: `${id}:bank-1` });

    const unmatchedReq = reqId('unmatched');
    const unmatched = await call('POST', '/api/events', admin, {
      type: 'payment.received', businessKey: 'onboarding:nobody', idempotencyKey: `orphan-${unmatchedReq}`,
      payload: { amountCents: 5, currency: 'EUR', payer: 'Liisa Virtanen' },
    }, unmatchedReq);
    expect(unmatched.body).toEqual({ status: 'unmatched', workflowId: null, idempotencyKey: `orphan-${unmatchedReq}` });

    const finished = await waitForEnd(id);
    expect(finished.status).toBe('completed');

    const trail = await workflowAudit(id);
    const api = trail.filter((e) => e.action.startsWith('api.'));
    expect(api.map((e) => e.action)).toEqual(['api.decision', 'api.event', 'api.event.routed']);

    const launch = trail.find((e) => e.action === 'workflow.launched')!;
    expect(launch).toMatchObject({ actor: ADMIN_ACTOR, idempotencyKey: `${id}#launch#${launched.body.runId}` });
    expect(launch.payload).toMatchObject({ kind: 'onboarding', requestId: launchReq, runId: launched.body.runId });

    const [decision, event, routedEvent] = api as [AuditRow, AuditRow, AuditRow];
    expect(decision).toMatchObject({ idempotencyKey: `api#${decideReq}`, actor: MANAGER_ACTOR, workflowId: id });
    // The comment may name people: it is kept beside the chain, which holds only its digest.
    expect(decision.payload).toEqual({
      gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: 'Hallitus 7/2024 § 3',
      requestId: decideReq, personalDigest: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect((decision as AuditRow & { personal: unknown }).personal).toEqual({ comment: 'articles allow associations' });
    expect(event).toMatchObject({ idempotencyKey: `api#${signedReq}`, actor: ADMIN_ACTOR, workflowId: id });
    expect(event.payload).toEqual({ type: 'subscription.signed', idempotencyKey: `${id}:signed`, status: 'delivered', requestId: signedReq });
    expect(routedEvent).toMatchObject({ idempotencyKey: `api#${routedReq}`, actor: ADMIN_ACTOR, workflowId: id });
    expect(routedEvent.payload).toEqual({
      type: 'payment.received', businessKey: id, idempotencyKey: `${id}:bank-1`, status: 'delivered', amountCents: due, currency: 'EUR',
      requestId: routedReq,
    });
    for (const e of [launch, decision, event, routedEvent]) expectRecent(e.occurredAt, since);
    // Each call's event was written after the call succeeded: after the tracking write it caused.
    const approvedSeq = trail.find((e) => e.action === 'approval.approved')!.seq;
    expect(decision.seq).toBeGreaterThan(approvedSeq);

    // The unmatched event belongs to no workflow, but is in the trail with its request id.
    const orphan = (await db.pool.query('SELECT workflow_id, action, actor, payload FROM audit_events WHERE idempotency_key = $1', [`api#${unmatchedReq}`])).rows;
    expect(orphan).toEqual([{
      workflow_id: null, action: 'api.event.routed', actor: ADMIN_ACTOR,
      payload: { type: 'payment.received', businessKey: 'onboarding:nobody', idempotencyKey: `orphan-${unmatchedReq}`, status: 'unmatched', amountCents: 5, currency: 'EUR', requestId: unmatchedReq },
    }]);

    // Personal data in event payloads never reaches the chained record.
    const everything = JSON.stringify((await db.pool.query('SELECT payload FROM audit_events')).rows);
    for (const personal of ['Maija', 'Matti', 'Liisa', 'Meikäläinen', '010203-123X', 'FI2112345600000785', 'signedBy', 'personalId']) {
      expect(everything).not.toContain(personal);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('a cancel is recorded with its reason; a refused cancel writes nothing', async () => {
    const since = Date.now();
    const launched = await call('POST', '/api/workflows/onboarding', admin, application(), reqId('launch'));
    const id = launched.body.workflowId as string;
    cancelledId = id;
    await waitForStage(id, 'board');

    const before = await auditCount();
    const tooShort = await call('POST', `${wfPath(id)}/cancel`, admin, { reason: 'x' }, reqId('short'));
    expect(tooShort.status).toBe(400);
    expect((await call('POST', `${wfPath(id)}/cancel`, manager, { reason: 'not mine to cancel' }, reqId('manager'))).status).toBe(403);
    expect(await auditCount()).toBe(before);

    const cancelReq = reqId('cancel');
    const cancelled = await call('POST', `${wfPath(id)}/cancel`, admin, { reason: 'the applicant withdrew its application' }, cancelReq);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('cancelled');

    const afterCancel = await auditCount();
    const again = await call('POST', `${wfPath(id)}/cancel`, admin, { reason: 'cancel it twice' }, reqId('again'));
    expect(again.status).toBe(409);
    expect(await auditCount()).toBe(afterCancel);

    const row = (await workflowAudit(id)).find((e) => e.action === 'api.cancel')!;
    expect(row).toMatchObject({ idempotencyKey: `api#${cancelReq}`, actor: ADMIN_ACTOR, workflowId: id });
    expect(row.payload).toEqual({ reason: 'the applicant withdrew its application', requestId: cancelReq });
    expectRecent(row.occurredAt, since);
  });

  test('without an x-request-id the API makes one; a retried request id adds nothing, a reused one for another call is kept apart', async () => {
    const noHeader = await call('POST', '/api/events', admin, { type: 'payment.received', businessKey: 'onboarding:nobody-1', idempotencyKey: `o-${randomUUID()}`, payload: {} });
    expect(noHeader.status).toBe(202);
    const generated = (await db.pool.query(`SELECT idempotency_key, payload FROM audit_events WHERE payload->>'idempotencyKey' = $1`, [noHeader.body.idempotencyKey])).rows;
    expect(generated).toHaveLength(1);
    expect(generated[0].idempotency_key).toBe(`api#${generated[0].payload.requestId}`);
    expect(generated[0].payload.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // An unusable header (too long) is replaced by a generated id instead of ending up in the trail.
    const tooLong = 'x'.repeat(300);
    const replaced = await call('POST', '/api/events', admin, { type: 'payment.received', businessKey: 'onboarding:nobody-2', idempotencyKey: `o-${randomUUID()}`, payload: {} }, tooLong);
    const stored = (await db.pool.query(`SELECT payload FROM audit_events WHERE payload->>'idempotencyKey' = $1`, [replaced.body.idempotencyKey])).rows;
    expect(stored[0].payload.requestId).toMatch(/^[0-9a-f-]{36}$/);

    // The first delivery, then a client that retries its request: the same request id, the same call.
    const body = { type: 'payment.received', businessKey: 'onboarding:nobody-3', idempotencyKey: `o-${randomUUID()}`, payload: { amountCents: 7, currency: 'EUR' } };
    expect((await call('POST', '/api/events', admin, body, reqId('first'))).body.status).toBe('unmatched');
    const retryReq = reqId('retry');
    expect((await call('POST', '/api/events', admin, body, retryReq)).body.status).toBe('duplicate');
    const count = await auditCount();
    expect((await call('POST', '/api/events', admin, body, retryReq)).body.status).toBe('duplicate');
    expect(await auditCount()).toBe(count);
    // The same id sent with a different call must not hide that call: it is kept under a key of its own.
    const other = { ...body, businessKey: 'onboarding:nobody-4', idempotencyKey: `o-${randomUUID()}` };
    expect((await call('POST', '/api/events', admin, other, retryReq)).body.status).toBe('unmatched');
    const underId = (await db.pool.query('SELECT idempotency_key, payload FROM audit_events WHERE idempotency_key LIKE $1 ORDER BY seq', [`api#${retryReq}%`])).rows;
    expect(underId.map((r) => r.idempotency_key)).toEqual([`api#${retryReq}`, `api#${retryReq}#2`]);
    expect(underId.map((r) => [r.payload.status, r.payload.businessKey, r.payload.requestIdReused])).toEqual([
      ['duplicate', 'onboarding:nobody-3', undefined],
      ['unmatched', 'onboarding:nobody-4', true],
    ]);

    // A retried write of one call's audit event (after a lost commit acknowledgement, say) adds nothing.
    const again = await recordApiEvent(db.pool, {
      requestId: retryReq, workflowId: null, action: 'api.event.routed', actor: ADMIN_ACTOR,
      payload: { type: 'payment.received', businessKey: 'onboarding:nobody-4', idempotencyKey: other.idempotencyKey, status: 'unmatched', amountCents: 7, currency: 'EUR' },
    });
    expect(again).toBeNull();
    expect(await auditCount()).toBe(count + 1);
  });

  test('token creation (CLI and the shared helper) is recorded with name, role and organisation, never the token', async () => {
    let stdout = '';
    const code = await run(['token', 'create', '--role', 'manager', '--name', 'erp-ops', '--org', SOCOM_BUSINESS_ID], {
      stdout: { write: (s: string) => (stdout += s) }, stderr: { write: () => true }, env: { DATABASE_URL: db.url, USER: 'ops-operator' },
    });
    expect(code).toBe(0);
    const cliToken = stdout.trim();
    expect(cliToken).toMatch(/^fuusio_manager_/);
    const cliRow = (await db.pool.query(`SELECT id FROM api_tokens WHERE token_hash = $1`, [hashToken(cliToken)])).rows[0];
    const fromCli = (await db.pool.query('SELECT workflow_id, action, actor, payload FROM audit_events WHERE idempotency_key = $1', [`token#${cliRow.id}`])).rows;
    expect(fromCli).toEqual([{
      workflow_id: null, action: 'api.token.created', actor: 'cli:ops-operator',
      payload: { tokenId: Number(cliRow.id), name: 'erp-ops', role: 'manager', organisation: SOCOM_BUSINESS_ID, via: 'cli' },
    }]);

    const requestId = reqId('token');
    const created = await createTokenWithAudit(db.pool, { name: 'auditor-2', role: 'auditor' }, { actor: ADMIN_ACTOR, requestId });
    const fromApi = (await db.pool.query('SELECT action, actor, payload FROM audit_events WHERE idempotency_key = $1', [`api#${requestId}`])).rows;
    expect(fromApi).toEqual([{
      action: 'api.token.created', actor: ADMIN_ACTOR,
      payload: { tokenId: created.owner.id, name: 'auditor-2', role: 'auditor', organisation: null, requestId },
    }]);
    // The token works, and neither it nor its hash is anywhere in the trail.
    expect((await api.request('GET', '/api/audit/verify', { token: created.token })).status).toBe(200);
    const trail = JSON.stringify((await db.pool.query('SELECT * FROM audit_events')).rows);
    for (const secret of [cliToken, hashToken(cliToken), created.token, hashToken(created.token)]) expect(trail).not.toContain(secret);
  });
});

describe('cross-check of Temporal history and audit trail', () => {
  test('a completed workflow: every completed track activity has its audit event and back, counts equal', async () => {
    expect(completedId).not.toBe('');
    const r = await api.request('GET', `${wfPath(completedId)}/crosscheck`, { token: auditor });
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ workflowId: completedId, ok: true, missingInAudit: [], missingInHistory: [], runs: 1, inFlight: 0 });
    expect(r.body.trackedInHistory).toBe(r.body.auditEvents);
    expect(await fuusioCli(['audit', 'crosscheck', completedId])).toMatchObject({ code: 0, stdout: expect.stringContaining('crosscheck ok') });

    // Counted independently: completed `track` activities in the exported history, tracking rows in the table.
    const history = (await api.request('GET', `${wfPath(completedId)}/history`, { token: auditor })).body.events as any[];
    const trackScheduled = new Set(history
      .filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_SCHEDULED' && e.activityTaskScheduledEventAttributes.activityType.name === 'track')
      .map((e) => String(e.eventId)));
    const trackCompleted = history.filter((e) => e.eventType === 'EVENT_TYPE_ACTIVITY_TASK_COMPLETED'
      && trackScheduled.has(String(e.activityTaskCompletedEventAttributes.scheduledEventId)));
    const tracking = (await db.pool.query(`SELECT count(*)::int AS n FROM audit_events WHERE workflow_id = $1 AND idempotency_key LIKE $2 AND idempotency_key NOT LIKE $3`,
      [completedId, `${completedId}#%`, `${completedId}#launch#%`])).rows[0].n;
    expect(trackCompleted.length).toBeGreaterThanOrEqual(8);
    expect(r.body.trackedInHistory).toBe(trackCompleted.length);
    expect(r.body.auditEvents).toBe(tracking);

    // A cancelled run (released reservation, final write by the cancel) checks out too.
    const cancelled = await api.request('GET', `${wfPath(cancelledId)}/crosscheck`, { token: admin });
    expect(cancelled.body).toMatchObject({ ok: true, missingInAudit: [], missingInHistory: [], inFlight: 0 });
    expect(cancelled.body.trackedInHistory).toBe(cancelled.body.auditEvents);
    expect(cancelled.body.auditEvents).toBeGreaterThanOrEqual(3);

    expect((await api.request('GET', `${wfPath(completedId)}/crosscheck`, { token: manager })).status).toBe(403);
    expect((await api.request('GET', `${wfPath('onboarding:no-such')}/crosscheck`, { token: auditor })).status).toBe(404);
  });

  test('an audit event with no history behind it (validly chained by an insider) is exposed by the cross-check, not by verify', async () => {
    const forged = await withTransaction(db.pool, (tx) => new AuditRepository().append(tx, {
      idempotencyKey: `${completedId}#99:approval.approved`, workflowId: completedId, action: 'approval.approved', actor: 'manager:nobody', payload: {},
    }));
    expect(forged).not.toBeNull();
    expect(await verify()).toMatchObject({ ok: true });
    const r = await api.request('GET', `${wfPath(completedId)}/crosscheck`, { token: auditor });
    expect(r.body).toMatchObject({ ok: false, missingInAudit: [], missingInHistory: [{ seq: forged!.seq, key: '99:approval.approved' }] });
    expect(r.body.auditEvents).toBe(r.body.trackedInHistory + 1);
  });
});

describe('signed checkpoints over the per-workflow chains', () => {
  test("a workflow's events form its own chain; a checkpoint signs the log, and an auditor checks inclusion and consistency offline", async () => {
    const trail = await workflowAudit(completedId);
    expect(trail.map((e: any) => e.chainSeq)).toEqual(trail.map((_, i) => i + 1));
    expect(new Set(trail.map((e: any) => e.chainId))).toEqual(new Set([`workflow:${completedId}`]));

    const key = (await api.request('GET', '/api/audit/public-key', { token: auditor })).body;
    expect(key).toMatchObject({ algorithm: 'Ed25519', development: true, keyId: expect.stringMatching(/^[0-9a-f]{16}$/) });
    const first = (await checkpoint())!;
    expect(verifyCheckpointSignature(createPublicKey(key.publicKeyPem), first, first.signature)).toBe(true);

    // One more audit event, one more checkpoint; the list pages newest first.
    await recordApiEvent(db.pool, { requestId: reqId('extra'), workflowId: null, action: 'api.test.extra', actor: ADMIN_ACTOR, payload: {} });
    const second = (await checkpoint())!;
    expect(second.treeSize).toBeGreaterThan(first.treeSize);
    const page = await api.request('GET', '/api/audit/checkpoints?limit=1', { token: auditor });
    expect(page.body).toEqual({ items: [second], nextBefore: second.treeSize });
    const next = await api.request('GET', `/api/audit/checkpoints?limit=1&before=${second.treeSize}`, { token: auditor });
    expect(next.body.items).toEqual([first]);

    const event = trail[0]!;
    const proof = await api.request('GET', `/api/audit/events/${event.seq}/inclusion-proof?treeSize=${first.treeSize}`, { token: auditor });
    expect(proof.status).toBe(200);
    const hex = (h: string) => Buffer.from(h, 'hex');
    expect(proof.body).toMatchObject({ seq: event.seq, eventHash: event.hash, checkpoint: first });
    expect(verifyInclusion(leafHash(hex(event.hash)), proof.body.leafIndex, first.treeSize, proof.body.proof.map(hex), hex(first.rootHash))).toBe(true);

    const c = await api.request('GET', `/api/audit/checkpoints/consistency?from=${first.treeSize}&to=${second.treeSize}`, { token: auditor });
    expect(c.status).toBe(200);
    expect(verifyConsistency(first.treeSize, second.treeSize, hex(first.rootHash), hex(second.rootHash), c.body.proof.map(hex))).toBe(true);

    // Bad or unknown sizes are refused with the field named; other roles are refused.
    const backwards = await api.request('GET', `/api/audit/checkpoints/consistency?from=${second.treeSize}&to=${first.treeSize}`, { token: auditor });
    expect(backwards).toMatchObject({ status: 400, body: { details: [{ path: 'query.from' }] } });
    expect((await api.request('GET', `/api/audit/checkpoints/consistency?from=1&to=${second.treeSize}`, { token: auditor })).status).toBe(first.treeSize === 1 ? 200 : 404);
    expect((await api.request('GET', '/api/audit/events/99999999/inclusion-proof', { token: auditor })).status).toBe(404);
    for (const path of ['/api/audit/checkpoints', '/api/audit/public-key', `/api/audit/events/${event.seq}/inclusion-proof`]) {
      expect((await api.request('GET', path, { token: manager })).status).toBe(403);
    }
    expect((await api.request('POST', '/api/audit/checkpoints', { token: manager })).status).toBe(403);
    expect((await api.request('GET', '/api/audit/verify?mode=sometimes', { token: auditor })).status).toBe(400);

    // Every route is in the OpenAPI document with its parameters and answer.
    const docs = (await api.request('GET', '/api/docs/json')).body;
    for (const path of ['/api/audit/public-key', '/api/audit/checkpoints', '/api/audit/checkpoints/consistency', '/api/audit/events/{id}/inclusion-proof', '/api/audit/verify']) {
      expect(docs.paths[path]?.get?.responses?.['200']?.content?.['application/json']?.schema).toBeDefined();
    }
    expect(docs.paths['/api/audit/checkpoints/consistency'].get.parameters.map((p: any) => p.name).sort()).toEqual(['from', 'to']);
    expect(docs.paths['/api/audit/events/{id}/inclusion-proof'].get.parameters.map((p: any) => p.name).sort()).toEqual(['id', 'treeSize']);

    // Verify checks the chains, the log and both signatures, then goes on from there.
    expect(await verify()).toMatchObject({ ok: true, problems: [] });
    const inc = await api.request('GET', '/api/audit/verify?mode=incremental', { token: auditor });
    expect(inc.body).toMatchObject({ ok: true, mode: 'incremental', fromTreeSize: second.treeSize, leaves: 0 });
  });
});

describe('tampering, done as a database superuser with the append-only triggers off', () => {
  type RawRow = Record<string, unknown> & { seq: string };

  // Everything so far is logged and signed: a removed or renumbered row is then named by its leaf.
  beforeAll(async () => {
    await checkpoint();
  });

  async function raw(seq: number): Promise<RawRow> {
    const r = await db.pool.query('SELECT * FROM audit_events WHERE seq = $1', [seq]);
    return r.rows[0] as RawRow;
  }

  async function restore(row: RawRow): Promise<void> {
    await tamper(db.pool, 'DELETE FROM audit_events WHERE seq = $1', [row.seq]);
    await tamper(db.pool,
      `INSERT INTO audit_events (seq, idempotency_key, workflow_id, action, actor, occurred_at, payload, prev_hash, hash, chain_id, chain_seq)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [row.seq, row.idempotency_key, row.workflow_id, row.action, row.actor, row.occurred_at, row.payload, row.prev_hash, row.hash, row.chain_id, row.chain_seq]);
  }

  test('a deleted tracking row: the cross-check names it missing and verify names the first broken link', async () => {
    expect(await verify()).toMatchObject({ ok: true });
    const trail = await workflowAudit(completedId);
    const victim = trail.find((e) => e.action === 'approval.approved')!;
    const original = await raw(victim.seq);
    const key = victim.idempotencyKey.slice(completedId.length + 1);

    await tamper(db.pool, 'DELETE FROM audit_events WHERE seq = $1', [victim.seq]);
    const broken = await verify();
    expect(broken).toMatchObject({ ok: false, firstBrokenSeq: victim.seq });
    expect(broken.problems).toContainEqual(expect.objectContaining({ kind: 'log', seq: victim.seq, reason: 'the logged event is missing' }));
    const r = await api.request('GET', `${wfPath(completedId)}/crosscheck`, { token: auditor });
    expect(r.body.ok).toBe(false);
    expect(r.body.missingInAudit).toEqual([{ key, historyEventId: expect.any(Number) }]);
    // The history event it names is the scheduled `track` activity whose input carried that key.
    const history = (await api.request('GET', `${wfPath(completedId)}/history`, { token: auditor })).body.events as any[];
    const scheduled = history.find((e) => Number(e.eventId) === r.body.missingInAudit[0].historyEventId);
    expect(scheduled.eventType).toBe('EVENT_TYPE_ACTIVITY_TASK_SCHEDULED');
    expect(scheduled.activityTaskScheduledEventAttributes.activityType.name).toBe('track');
    // The CLI says the same, with exit code 1.
    const cliBroken = await fuusioCli(['audit', 'crosscheck', completedId]);
    expect(cliBroken.code).toBe(1);
    expect(cliBroken.stdout).toContain(`missing in the audit trail: ${key}`);
    expect(cliBroken.stderr).toContain('error crosscheck_failed: 1 tracked step(s) lack an audit event');

    await restore(original);
    const cliHealed = await fuusioCli(['audit', 'crosscheck', completedId]);
    // (The insider's extra row from the test above is still there, so only the missing-in-audit line goes.)
    expect(cliHealed.stdout).not.toContain('missing in the audit trail');
    expect(cliHealed.stdout).toContain('missing in the history: 99:approval.approved');
    expect(await verify()).toMatchObject({ ok: true });
    const healed = (await api.request('GET', `${wfPath(completedId)}/crosscheck`, { token: auditor })).body;
    expect(healed.missingInAudit).toEqual([]);
  });

  const text = (v: unknown) => String(v);
  const columns: { column: string; change(row: RawRow): unknown }[] = [
    { column: 'payload', change: (row) => ({ ...(row.payload as object), reference: oneByte('Hallitus 7/2024 § 3') }) },
    { column: 'actor', change: (row) => oneByte(text(row.actor)) },
    { column: 'action', change: (row) => oneByte(text(row.action)) },
    // One millisecond off: one digit of the stored time (down when the last digit is a 9, so nothing carries).
    { column: 'occurred_at', change: (row) => {
      const t = (row.occurred_at as Date).getTime();
      return new Date(t % 10 === 9 ? t - 1 : t + 1);
    } },
    { column: 'workflow_id', change: (row) => oneByte(text(row.workflow_id)) },
    { column: 'idempotency_key', change: (row) => oneByte(text(row.idempotency_key)) },
    { column: 'prev_hash', change: (row) => oneByte(text(row.prev_hash)) },
    { column: 'hash', change: (row) => oneByte(text(row.hash)) },
  ];

  test.each(columns)('one byte changed in $column is detected at that row', async ({ column, change }) => {
    const seq = await seqOf(decisionKey);
    const original = await raw(seq);
    const changed = change(original);
    expect(changed).not.toEqual(original[column]);
    await tamper(db.pool, `UPDATE audit_events SET ${column} = $1 WHERE seq = $2`, [changed, seq]);
    try {
      expect((await raw(seq))[column]).toEqual(changed);
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
    } finally {
      await restore(original);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('one byte changed in a number inside the payload of a tracking row is detected', async () => {
    const trail = await workflowAudit(completedId);
    const paid = trail.find((e) => e.action.startsWith('step.event.') && typeof e.payload.details?.amountCents === 'number')!;
    const original = await raw(paid.seq);
    await tamper(db.pool, `UPDATE audit_events SET payload = jsonb_set(payload, '{details,amountCents}', to_jsonb((payload->'details'->>'amountCents')::bigint + 1)) WHERE seq = $1`, [paid.seq]);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: paid.seq });
    } finally {
      await restore(original);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('one microsecond added to occurred_at (below the millisecond the hash sees) is detected', async () => {
    const seq = await seqOf(decisionKey);
    const original = await raw(seq);
    await tamper(db.pool, `UPDATE audit_events SET occurred_at = occurred_at + interval '1 microsecond' WHERE seq = $1`, [seq]);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
    } finally {
      await restore(original);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });

  test('a renumbered row breaks the chain where it was', async () => {
    const seq = await seqOf(decisionKey);
    const original = await raw(seq);
    await tamper(db.pool, 'UPDATE audit_events SET seq = seq + 100000 WHERE seq = $1', [seq]);
    try {
      expect(await verify()).toMatchObject({ ok: false, firstBrokenSeq: seq });
    } finally {
      await tamper(db.pool, 'DELETE FROM audit_events WHERE seq = $1', [seq + 100000]);
      await restore(original);
    }
    expect(await verify()).toMatchObject({ ok: true });
  });
});

function fuusioCli(args: string[]) {
  return cli(args, { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: auditor });
}
