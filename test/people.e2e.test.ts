import { SOCCA_BUSINESS_ID, VERSO_BUSINESS_ID, seedConsolidationDemo, uusimaaLaunchBody } from '../infra/seed/demo-consolidation';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { Clock } from '../apps/api/people/clock';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { helsinkiDate, helsinkiDayStart } from '../libs/domain/helsinki-time';
import { type TestApi } from './support/api-harness';
import { eventually, type TestDatabase } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { cli } from './support/cli';
import { startStack, type Stack } from './support/stack';
import { tablesContaining } from './support/text-search';

let stack: Stack;
let db: TestDatabase;
let api: TestApi;
let admin: string;
let manager: string;
/** Person tokens by person id. */
const tokens: Record<string, string> = {};

const BOARD = ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-board-4', 'socom-board-5'];
const DEPUTY = 'socom-deputy-1';

/** Dates as the API's clock sees them (Helsinki calendar days), relative to whatever today is. */
function day(offset: number): string {
  return new Date(Date.parse(`${helsinkiDate(Date.now())}T00:00:00Z`) + offset * 86_400_000).toISOString().slice(0, 10);
}

beforeAll(async () => {
  stack = await startStack();
  ({ db, api } = stack);
  await seedConsolidationDemo(db.pool);
  await seedDemoPeople(db.pool);
  [admin, manager] = await Promise.all([api.token('admin'), api.token('manager')]);
  const created = await api.request('POST', '/api/people', { token: admin, body: { id: DEPUTY, displayName: 'Varajäsen Demo', language: 'fi' } });
  expect(created.status).toBe(201);
  const repo = new TokenRepository();
  const others = ['socom-secretary', 'socom-finance-1', 'socom-finance-2', 'kymenlaakso-signatory', 'verso-board-1', 'verso-authority-board-1', 'verso-council-secretary', 'socca-steering-1', 'hus-board-1', 'hame-ely-contact'];
  for (const id of [...BOARD, DEPUTY, ...others]) {
    tokens[id] = (await repo.create(db.pool, { name: `test-${id}`, role: 'manager', personId: id })).token;
  }
});

afterAll(async () => {
  await stack?.stop();
});

const wfPath = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

async function waitForStage(workflowId: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: manager });
    return r.status === 200 && r.body.stage === stage ? r.body : undefined;
  }, 20_000, `${workflowId} at ${stage}`);
}

async function inboxKeys(person: string, query = ''): Promise<string[]> {
  const r = await api.request('GET', `/api/inbox${query}`, { token: tokens[person] });
  expect(r.status).toBe(200);
  return r.body.items.map((i: { workflowId: string; key: string }) => `${i.workflowId} ${i.key}`);
}

async function count(table: string): Promise<number> {
  return (await db.pool.query(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;
}

describe('people, roles and delegations', () => {
  test('bad input is refused with the field and the reason, and nothing is written', async () => {
    const before = { people: await count('people'), roles: await count('person_roles'), delegations: await count('delegations'), audit: await count('audit_events') };
    const badId = await api.request('POST', '/api/people', { token: admin, body: { id: 'Aino Virtanen', displayName: 'x', language: 'fi' } });
    expect(badId.status).toBe(400);
    expect(badId.body.details).toEqual([expect.objectContaining({ path: 'id' })]);
    const badLanguage = await api.request('POST', '/api/people', { token: admin, body: { id: 'new-person', displayName: 'x', language: 'de' } });
    expect(badLanguage.body.details).toEqual([{ path: 'language', message: 'must be fi, sv or en' }]);
    const taken = await api.request('POST', '/api/people', { token: admin, body: { id: 'socom-board-1', displayName: 'x', language: 'fi' } });
    expect(taken.status).toBe(409);

    const unknownRole = await api.request('POST', '/api/people/socom-board-1/roles', { token: admin, body: { organisation: SOCOM_BUSINESS_ID, role: 'king', validFrom: day(0) } });
    expect(unknownRole.status).toBe(400);
    expect(unknownRole.body.details).toEqual([expect.objectContaining({ path: 'role' })]);
    expect((await api.request('POST', '/api/people/nobody-here/roles', { token: admin, body: { organisation: SOCOM_BUSINESS_ID, role: 'finance', validFrom: day(0) } })).status).toBe(404);

    const delegation = { fromPerson: 'socom-board-4', toPerson: DEPUTY, organisation: SOCOM_BUSINESS_ID, role: 'board-member', validFrom: day(1), validTo: day(10) };
    const refusals: [Record<string, unknown>, string][] = [
      [{ toPerson: 'socom-board-4' }, 'toPerson'],
      [{ validFrom: day(-1) }, 'validFrom'],
      [{ validTo: day(0) }, 'validTo'],
      [{ toPerson: 'nobody-here' }, 'toPerson'],
      [{ fromPerson: 'socom-secretary' }, 'role'],
      [{ role: 'queen' }, 'role'],
    ];
    const viaCli = await cli(['delegate', '--from-person', 'socom-board-4', '--to-person', 'socom-board-4', '--org', SOCOM_BUSINESS_ID, '--role', 'board-member', '--from', day(1), '--to', day(2)],
      { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: admin });
    expect(viaCli.code).toBe(1);
    expect(viaCli.stderr).toContain('toPerson');
    for (const [change, field] of refusals) {
      const r = await api.request('POST', '/api/delegations', { token: admin, body: { ...delegation, ...change } });
      expect({ change, status: r.status, fields: r.body.details.map((d: { path: string }) => d.path) }).toEqual({ change, status: 400, fields: [field] });
    }
    // A person may hand on only their own role.
    expect((await api.request('POST', '/api/delegations', { token: tokens['socom-board-3'], body: delegation })).status).toBe(403);
    expect({ people: await count('people'), roles: await count('person_roles'), delegations: await count('delegations'), audit: await count('audit_events') }).toEqual(before);

    const ok = await api.request('POST', '/api/delegations', { token: tokens['socom-board-4'], body: delegation });
    expect(ok.status).toBe(201);
    const overlapping = await api.request('POST', '/api/delegations', {
      token: admin, body: { ...delegation, toPerson: 'socom-secretary', validFrom: day(5), validTo: day(20) },
    });
    expect(overlapping.status).toBe(400);
    expect(overlapping.body.details).toEqual([{ path: 'validFrom', message: expect.stringContaining(`overlaps delegation ${ok.body.id}`) }]);
    const audited = await db.pool.query("SELECT actor, payload FROM audit_events WHERE action = 'api.delegation.created'");
    expect(audited.rows).toEqual([expect.objectContaining({ actor: 'manager:socom-board-4', payload: expect.objectContaining({ fromPerson: 'socom-board-4', toPerson: DEPUTY }) })]);
  });

  test('a board decides 3 of 5 by named members, a substitute decides "B for A", four eyes on the payment, and each inbox shows exactly its items', async () => {
    // A quorum the board cannot reach, and a member who is not on the board, are refused at launch.
    const tooBig = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ board: { quorum: 6 } }) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.details).toEqual([{ path: 'board.quorum', message: 'is larger than the body (5 members)' }]);
    const notOnBoard = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ board: { quorum: 1, members: ['socom-secretary'] } }) });
    expect(notOnBoard.status).toBe(400);
    expect(notOnBoard.body.details).toEqual([{ path: 'board.members.0', message: expect.stringContaining('is not a member of board') }]);
    expect(await count('process_runs')).toBe(0);

    // Board member 5 is away: the deputy substitutes from today.
    const away = await api.request('POST', '/api/delegations', {
      token: admin, body: { fromPerson: 'socom-board-5', toPerson: DEPUTY, organisation: SOCOM_BUSINESS_ID, role: 'board-member', validFrom: day(0), validTo: day(7) },
    });
    expect(away.status).toBe(201);

    const a = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ board: { quorum: 3 }, fourEyes: true }) });
    expect(a.status).toBe(201);
    // B: an onboarding as before (addressed to the body), with a deadline, so it comes first in the inboxes.
    const b = await api.request('POST', '/api/workflows/onboarding', { token: admin, body: associationLaunchBody({ deadlines: { boardDecision: '30 days' } }) });
    expect(b.status).toBe(201);
    const A = a.body.workflowId as string;
    const B = b.body.workflowId as string;
    const atBoard = await waitForStage(A, 'board');
    await waitForStage(B, 'board');
    expect(atBoard.approvals).toEqual([expect.objectContaining({ gate: 'board', status: 'pending', quorum: 3, members: BOARD, votes: [] })]);

    const decision = (d: Record<string, unknown> = {}) => ({ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', ...d });
    const decisionB = `${B} approval:board:${SOCOM_BUSINESS_ID}`;
    const decisionA = `${A} approval:board:${SOCOM_BUSINESS_ID}`;
    for (const member of ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-board-5']) {
      expect(await inboxKeys(member)).toEqual([decisionB, decisionA]);
    }
    // Member 4 has handed the role on only from tomorrow, so today they still decide themselves.
    expect(await inboxKeys('socom-board-4')).toEqual([decisionB, decisionA]);
    expect(await inboxKeys(DEPUTY)).toEqual([`${decisionB}:for:socom-board-5`, `${decisionA}:for:socom-board-5`]);
    // The secretary sits in the board (body) but is no voting member: B (addressed to the body) only.
    expect(await inboxKeys('socom-secretary')).toEqual([decisionB]);
    expect(await inboxKeys('socom-finance-1')).toEqual([]);
    expect((await api.request('GET', '/api/inbox', { token: manager })).body).toEqual({ person: null, items: [], nextCursor: null });
    // Keyset paging: one item a page.
    const page1 = await api.request('GET', '/api/inbox?limit=1', { token: tokens['socom-board-1'] });
    const page2 = await api.request('GET', `/api/inbox?limit=1&cursor=${page1.body.nextCursor}`, { token: tokens['socom-board-1'] });
    expect([...page1.body.items, ...page2.body.items].map((i: { workflowId: string }) => i.workflowId)).toEqual([B, A]);
    expect(page1.body.items[0]).toEqual(expect.objectContaining({ type: 'decision', what: expect.stringContaining('Board of'), dueAt: expect.any(String), overdue: false }));
    expect((await api.request('GET', '/api/inbox?cursor=nonsense', { token: tokens['socom-board-1'] })).status).toBe(400);
    // Overdue first: a month on (the API's clock moved, nothing else), B's 30-day board deadline has passed.
    const clock = api.app.get(Clock);
    clock.now = () => new Date(Date.now() + 31 * 86_400_000);
    try {
      const later = await api.request('GET', '/api/inbox', { token: tokens['socom-board-1'] });
      expect(later.body.items.map((i: { workflowId: string; overdue: boolean }) => [i.workflowId, i.overdue])).toEqual([[B, true], [A, false]]);
      expect((await api.request('GET', '/api/inbox?overdue=true', { token: tokens['socom-board-1'] })).body.items).toHaveLength(1);
      // The deputy's week has passed too: no substitute items any more.
      expect(await inboxKeys(DEPUTY)).toEqual([]);
      // Overdue turns at the Helsinki midnight after B's due day, not at its due instant nor at UTC midnight.
      const dueB = Date.parse(page1.body.items[0].dueAt);
      const nextDay = helsinkiDayStart(helsinkiDayStart(dueB).getTime() + 26 * 3_600_000).getTime();
      const overdueAt = async (at: number) => {
        clock.now = () => new Date(at);
        const r = await api.request('GET', '/api/inbox', { token: tokens['socom-board-1'] });
        return r.body.items.find((i: { workflowId: string }) => i.workflowId === B)?.overdue;
      };
      expect(await overdueAt(dueB + 60_000)).toBe(false);
      expect(await overdueAt(nextDay - 1_000)).toBe(false);
      expect(await overdueAt(nextDay)).toBe(true);
    } finally {
      clock.now = () => new Date();
    }
    const printed = await cli(['inbox'], { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: tokens[DEPUTY] });
    expect(printed.code).toBe(0);
    expect(printed.stdout.trim().split('\n')).toHaveLength(3);
    expect(printed.stdout).toContain('(for socom-board-5)');
    expect(printed.stdout).toContain(`decide --gate board --party ${SOCOM_BUSINESS_ID}`);
    const json = await cli(['inbox', '--json', '--type', 'event'], { FUUSIO_API_URL: api.baseUrl, FUUSIO_TOKEN: tokens[DEPUTY] });
    expect(JSON.parse(json.stdout)).toEqual({ person: DEPUTY, items: [], nextCursor: null });

    const votesBefore = await count('audit_events');
    const notMember = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-finance-1'], body: decision() });
    expect(notMember.status).toBe(422);
    expect(notMember.body.error).toBe('not_a_member');
    expect((await api.request('POST', `${wfPath(A)}/decisions`, { token: manager, body: decision() })).body.error).toBe('not_a_member');
    expect(await count('audit_events')).toBe(votesBefore);

    const first = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-board-1'], body: decision({ reference: 'Hallitus 4/2026 § 3' }) });
    expect(first.status).toBe(200);
    expect(first.body.approvals[0]).toEqual(expect.objectContaining({ status: 'pending', votes: [expect.objectContaining({ member: 'socom-board-1', decision: 'approve' })] }));
    const twice = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-board-1'], body: decision({ decision: 'reject' }) });
    expect(twice.status).toBe(422);
    expect(twice.body.error).toBe('already_decided');
    expect(await inboxKeys('socom-board-1')).toEqual([decisionB]);

    expect((await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-board-2'], body: decision({ decision: 'reject' }) })).status).toBe(200);
    // The deputy decides for member 5 (found from the delegation); member 5 then may not decide again.
    const forFive = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens[DEPUTY], body: decision() });
    expect(forFive.status).toBe(200);
    expect(forFive.body.approvals[0].votes).toEqual(expect.arrayContaining([expect.objectContaining({ member: 'socom-board-5', by: DEPUTY })]));
    const fiveAgain = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-board-5'], body: decision() });
    expect(fiveAgain.status).toBe(422);
    expect(fiveAgain.body.error).toBe('already_decided');
    expect(await inboxKeys('socom-board-5')).toEqual([decisionB]);
    expect(await inboxKeys(DEPUTY)).toEqual([`${decisionB}:for:socom-board-5`]);
    // Naming a member who has not delegated to you is refused before the workflow sees it.
    const noDelegation = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens[DEPUTY], body: decision({ onBehalfOf: 'socom-board-3' }) });
    expect(noDelegation.status).toBe(422);
    expect(noDelegation.body.details).toEqual([{ path: 'onBehalfOf', message: 'no delegation to you in force today' }]);

    const third = await api.request('POST', `${wfPath(A)}/decisions`, { token: tokens['socom-board-3'], body: decision() });
    expect(third.status).toBe(200);
    expect(third.body.approvals[0]).toEqual(expect.objectContaining({ status: 'approved', decidedBy: 'manager:socom-board-3' }));

    const trail = await db.pool.query(
      `SELECT action, actor FROM audit_events WHERE workflow_id = $1 AND action IN ('api.decision', 'approval.voted', 'approval.approved') ORDER BY seq`, [A],
    );
    expect(trail.rows).toEqual(expect.arrayContaining([
      { action: 'approval.voted', actor: `manager:${DEPUTY} for socom-board-5` },
      { action: 'api.decision', actor: `manager:${DEPUTY} for socom-board-5` },
      { action: 'approval.approved', actor: 'manager:socom-board-3' },
    ]));
    expect(trail.rows.filter((r) => r.action === 'approval.voted')).toHaveLength(3);

    await waitForStage(A, 'subscription');
    expect(await inboxKeys('socom-board-3')).toEqual([decisionB]);
    const signed = await api.request('POST', `${wfPath(A)}/events`, { token: admin, body: { type: 'subscription.signed', idempotencyKey: `${A}:signed` } });
    expect(signed.status).toBe(202);
    await waitForStage(A, 'payment');

    // Four eyes: one finance officer records, the other confirms.
    expect(await inboxKeys('socom-finance-1')).toEqual([`${A} event:payment.received`]);
    const anonymous = await api.request('POST', `${wfPath(A)}/events`, { token: admin, body: { type: 'payment.received', payload: { amountCents: 1000_00, currency: 'EUR' }, idempotencyKey: 'pay-anon' } });
    expect(anonymous.status).toBe(422);
    const recorded = await api.request('POST', `${wfPath(A)}/events`, {
      token: tokens['socom-finance-1'], body: { type: 'payment.received', payload: { amountCents: 1000_00, currency: 'EUR' }, idempotencyKey: 'pay-1' },
    });
    expect(recorded.status).toBe(202);
    const confirmTask = `${A} task:payment.pay-1`;
    await eventually(async () => ((await inboxKeys('socom-finance-2')).includes(confirmTask) ? true : undefined), 10_000, 'the confirmation task');
    expect(await inboxKeys('socom-finance-2')).toEqual([`${A} event:payment.received`, confirmTask]);
    expect(await inboxKeys('socom-finance-1')).toEqual([`${A} event:payment.received`]);
    const selfConfirmed = await api.request('POST', `${wfPath(A)}/events`, {
      token: tokens['socom-finance-1'], body: { type: 'payment.confirmed', payload: { payment: 'pay-1' }, idempotencyKey: 'confirm-1a' },
    });
    expect(selfConfirmed.status).toBe(422);
    expect(selfConfirmed.body.error).toBe('four_eyes');
    const confirmed = await api.request('POST', `${wfPath(A)}/events`, {
      token: tokens['socom-finance-2'], body: { type: 'payment.confirmed', payload: { payment: 'pay-1' }, idempotencyKey: 'confirm-1b' },
    });
    expect(confirmed.status).toBe(202);
    const done = await eventually(async () => {
      const r = await api.request('GET', wfPath(A), { token: manager });
      return r.body.status === 'completed' ? r.body : undefined;
    }, 30_000, `${A} to complete`);
    expect(done.steps).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'payment.pay-1', status: 'done' })]));
    expect(await inboxKeys('socom-finance-1')).toEqual([]);
    expect(await inboxKeys('socom-finance-2')).toEqual([]);

    expect((await api.request('POST', `${wfPath(B)}/cancel`, { token: admin, body: { reason: 'test over' } })).status).toBe(200);
    await eventually(async () => ((await inboxKeys('socom-board-1')).length === 0 ? true : undefined), 10_000, 'an empty inbox');
    expect(await inboxKeys(DEPUTY)).toEqual([]);
  });

  test('a token made on the command line belongs to a person; erasing the person clears name and e-mail only', async () => {
    const made = await cli(['token', 'create', '--role', 'manager', '--name', 'aino', '--person', 'socom-board-1', '--json'], { DATABASE_URL: db.url });
    expect(made.code).toBe(0);
    const { token } = JSON.parse(made.stdout) as { token: string };
    expect((await api.request('GET', '/api/me', { token })).body).toEqual(expect.objectContaining({ person: 'socom-board-1' }));
    const unknown = await cli(['token', 'create', '--role', 'manager', '--name', 'x', '--person', 'nobody-here'], { DATABASE_URL: db.url });
    expect(unknown.code).toBe(1);
    // Through the API too: an admin gives a person a token; an unknown person is refused with the field.
    const viaApi = await api.request('POST', '/api/tokens', { token: admin, body: { name: 'mikko', role: 'manager', personId: 'socom-board-2' } });
    expect([viaApi.status, viaApi.body.personId]).toEqual([201, 'socom-board-2']);
    const nobody = await api.request('POST', '/api/tokens', { token: admin, body: { name: 'x', role: 'manager', personId: 'nobody-here' } });
    expect([nobody.status, nobody.body.details]).toEqual([400, [{ path: 'personId', message: 'not in the directory of people' }]]);

    // Others do not see e-mail addresses; the person and admins do.
    expect((await api.request('GET', '/api/people/socom-board-2', { token })).body.email).toBeNull();
    expect((await api.request('GET', '/api/people/socom-board-1', { token })).body.email).toBe('aino.virtanen@socom.example');
    // Everywhere else (audit events, outbox rows, digests, delegations) people are named by id only.
    expect(await tablesContaining(db.pool, 'Leena Heikkinen')).toEqual(['people']);
    expect(await tablesContaining(db.pool, 'leena.heikkinen@socom.example')).toEqual(['people']);
    const erased = await api.request('POST', '/api/people/socom-secretary/erasure', { token: admin });
    expect(erased.body).toEqual({ personId: 'socom-secretary', erased: true });
    const after = await api.request('GET', '/api/people/socom-secretary', { token: admin });
    expect(after.body).toEqual(expect.objectContaining({ displayName: null, email: null, erasedAt: expect.any(String), roles: [expect.objectContaining({ role: 'board-secretary' })] }));
    const trail = await db.pool.query("SELECT payload::text AS p FROM audit_events WHERE action LIKE 'api.person.%' OR action = 'api.token.created'");
    expect(trail.rows.some((r) => /Heikkinen|@socom\.example|Virtanen/.test(r.p))).toBe(false);
    expect(await tablesContaining(db.pool, 'Leena Heikkinen')).toEqual([]);
    expect(await tablesContaining(db.pool, 'leena.heikkinen@socom.example')).toEqual([]);
  });

  test('a consolidation\'s chain body decides by its members from the directory; the inbox follows the chain', async () => {
    const body = uusimaaLaunchBody();
    const withVersoPolicy = (quorum: number) => ({
      ...body,
      parties: body.parties.map((p) => (p.businessId === VERSO_BUSINESS_ID
        ? { ...p, decisionChain: p.decisionChain.map((b, i) => (i === 0 ? { ...b, policy: { quorum } } : b)) }
        : p)),
    });
    const versoIndex = body.parties.findIndex((p) => p.businessId === VERSO_BUSINESS_ID);
    const tooBig = await api.request('POST', '/api/workflows/consolidation', { token: admin, body: withVersoPolicy(2) });
    expect(tooBig.status).toBe(400);
    expect(tooBig.body.details).toEqual([{ path: `parties.${versoIndex}.decisionChain.0.policy.quorum`, message: 'is larger than the body (1 member)' }]);
    const launched = await api.request('POST', '/api/workflows/consolidation', { token: admin, body: withVersoPolicy(1) });
    expect(launched.status).toBe(201);
    const id = launched.body.workflowId as string;
    await waitForStage(id, 'feasibility');
    expect((await api.request('POST', `${wfPath(id)}/events`, { token: manager, body: { type: 'study.completed', payload: { findings: 'Feasible.' }, idempotencyKey: `${id}:study` } })).status).toBe(202);
    await waitForStage(id, 'decisions');

    const mine = async (person: string) => (await inboxKeys(person)).filter((k) => k.startsWith(id));
    expect(await mine('verso-board-1')).toEqual([`${id} approval:decisions/verso-board:${VERSO_BUSINESS_ID}`]);
    expect(await mine('socca-steering-1')).toEqual([`${id} approval:decisions/socca-steering-group:${SOCCA_BUSINESS_ID}`]);
    // Later bodies of a chain, and the host who decides last, have nothing yet.
    expect(await mine('verso-authority-board-1')).toEqual([]);
    expect(await mine('verso-council-secretary')).toEqual([]);
    expect(await mine('hus-board-1')).toEqual([]);
    expect(await mine('hame-ely-contact')).toEqual([]);

    const chainDecision = { gate: 'decisions', party: VERSO_BUSINESS_ID, body: 'verso-board', decision: 'approve' };
    const outsider = await api.request('POST', `${wfPath(id)}/decisions`, { token: tokens['socca-steering-1'], body: chainDecision });
    expect([outsider.status, outsider.body.error]).toEqual([422, 'not_a_member']);
    const decided = await api.request('POST', `${wfPath(id)}/decisions`, { token: tokens['verso-board-1'], body: chainDecision });
    expect(decided.status).toBe(200);
    expect(decided.body.approvals.find((a: { gate: string }) => a.gate === 'decisions/verso-board')).toEqual(
      expect.objectContaining({ status: 'approved', decidedBy: 'manager:verso-board-1', votes: [expect.objectContaining({ member: 'verso-board-1' })] }),
    );
    await eventually(async () => ((await mine('verso-authority-board-1')).length === 1 ? true : undefined), 10_000, 'the next body of the chain');
    expect(await mine('verso-board-1')).toEqual([]);
    expect((await api.request('POST', `${wfPath(id)}/cancel`, { token: admin, body: { reason: 'test over' } })).status).toBe(200);
  });
});
