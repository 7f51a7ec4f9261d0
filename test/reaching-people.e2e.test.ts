import ICAL from 'ical.js';
import type { ChildProcess } from 'node:child_process';
import { startMailDev, type MailCatcher } from '../infra/dev/maildev';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { seedDemoPeople } from '../infra/seed/demo-people';
import { seedDemoData } from '../infra/seed/seed';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import { messageId } from '../libs/notify/outbox-sender';
import { startApi, type TestApi } from './support/api-harness';
import { connectTemporal, createTestDatabase, eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { associationLaunchBody } from './support/onboarding-fixtures';
import { startSmtpGate, type SmtpGate } from './support/smtp-gate';
import { buildWorkerProgram, exited, startWorkerProcess } from './support/worker-process';

/*
 * Issue 12's acceptance on the real stack: the API in this process, the worker program as a process of its
 * own (so it can be SIGKILLed), the Temporal dev server, PostgreSQL, and MailDev's SMTP read back over its
 * REST API. The board's reminder comes 20 s after the board stage opens (a 600 s deadline, reminded
 * 580 s before); the three decisions before it take a few seconds, and the test checks that they came
 * first rather than assuming it.
 */

const BOARD = ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-board-4', 'socom-board-5'];
const EMAIL: Record<string, string> = {
  'socom-board-1': 'aino.virtanen@socom.example',
  'socom-board-2': 'mikko.korhonen@socom.example',
  'socom-board-3': 'ulla.lindqvist@socom.example',
  'socom-board-4': 'jussi.makinen@socom.example',
  'socom-board-5': 'sara.nieminen@socom.example',
};
const DEPUTY = 'socom-deputy-1';
const FINANCE = ['socom-finance-1', 'socom-finance-2'];
const DAY = 86_400_000;

let temporal: TestTemporal;
let db: TestDatabase;
let api: TestApi;
let mail: MailCatcher;
let gate: SmtpGate;
let worker: ChildProcess | undefined;
let admin: string;
const tokens: Record<string, string> = {};

function startWorker(): ChildProcess {
  return startWorkerProcess(db, temporal, {
    SMTP_URL: gate.url,
    FUUSIO_PUBLIC_URL: 'http://fuusio.test',
    OUTBOX_POLL_MS: '100',
    // A dead sender's claimed messages come free again soon after the restart (which itself takes seconds),
    // yet a live sender on a loaded machine is never mistaken for a dead one.
    OUTBOX_LEASE_MS: '8000',
  });
}

beforeAll(async () => {
  buildWorkerProgram();
  db = await createTestDatabase();
  await seedDemoData(db.pool);
  await seedDemoPeople(db.pool);
  temporal = await connectTemporal();
  mail = await startMailDev();
  gate = await startSmtpGate(mail.smtpUrl);
  api = await startApi(db, temporal);
  admin = await api.token('admin');
  // The deputy is in the directory from the start, with no role of their own on the board.
  const person = await api.request('POST', '/api/people', { token: admin, body: { id: DEPUTY, displayName: 'Varajäsen', language: 'fi', email: 'varajasen@socom.example' } });
  expect(person.status).toBe(201);
  const repo = new TokenRepository();
  for (const id of [...BOARD, DEPUTY, ...FINANCE]) tokens[id] = (await repo.create(db.pool, { name: `rp-${id}`, role: 'manager', personId: id })).token;
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null && worker.signalCode === null) {
    worker.kill('SIGKILL');
    await exited(worker);
  }
  await api?.close();
  await temporal?.close();
  await gate?.close();
  await mail?.stop();
  await db?.drop();
});

type CaughtMail = { subject: string; to: { address: string }[]; headers: Record<string, string> };

/** What MailDev holds for one workflow (each Message-ID carries the workflow id). */
async function mailsOf(workflowId: string): Promise<CaughtMail[]> {
  const all = (await (await fetch(`${mail.webUrl}api/email`)).json()) as CaughtMail[];
  return all.filter((m) => (m.headers['message-id'] ?? '').includes(encodeURIComponent(`${workflowId}:`)));
}

const wfPath = (id: string) => `/api/workflows/${encodeURIComponent(id)}`;

async function inbox(person: string): Promise<string[]> {
  const r = await api.request('GET', '/api/inbox', { token: tokens[person] });
  expect(r.status).toBe(200);
  return r.body.items.map((i: { workflowId: string; key: string }) => `${i.workflowId} ${i.key}`);
}

/** Every person's inbox at once, so a step's expectation names all of them. */
async function inboxes(): Promise<Record<string, string[]>> {
  const people = [...BOARD, DEPUTY, ...FINANCE];
  return Object.fromEntries(await Promise.all(people.map(async (p) => [p, await inbox(p)] as const)));
}

/** A calendar feed read as a calendar client does: by its secret URL, no token; parsed by an independent parser. */
async function feedEvents(feed: { body: { url: string } }): Promise<{ uid: string; start: string; summary: string }[]> {
  const res = await fetch(`${api.baseUrl}${new URL(feed.body.url).pathname}`);
  expect(res.status).toBe(200);
  const cal = new ICAL.Component(ICAL.parse(await res.text()));
  return cal.getAllSubcomponents('vevent').map((v) => {
    const e = new ICAL.Event(v);
    return { uid: e.uid, start: e.startDate.toString(), summary: e.summary };
  });
}

async function waitForStage(workflowId: string, stage: string) {
  return eventually(async () => {
    const r = await api.request('GET', wfPath(workflowId), { token: admin });
    return r.status === 200 && r.body.stage === stage ? r.body : undefined;
  }, 30_000, `${workflowId} at ${stage}`);
}

async function outboxStatuses(workflowId: string, stepKey: string): Promise<Record<string, string>> {
  const r = await db.pool.query<{ recipient: string; status: string }>(
    `SELECT recipient, status FROM outbox WHERE workflow_id = $1 AND step_key = $2 AND channel = 'email' ORDER BY recipient`, [workflowId, stepKey]);
  return Object.fromEntries(r.rows.map((x) => [x.recipient, x.status]));
}

test('a board decides 3 of 5 by name, is reminded through a worker crash, a substitute decides, four eyes pay', async () => {
  worker = startWorker();
  const feed4 = await api.request('POST', '/api/calendar-feeds', { token: admin, body: { person: 'socom-board-4' } });
  expect(feed4.status).toBe(201);
  const launched = await api.request('POST', '/api/workflows/onboarding', {
    token: admin,
    body: associationLaunchBody({ board: { quorum: 3, members: BOARD }, fourEyes: true, deadlines: { boardDecision: '600 s', reminders: ['580 s'] } }),
  });
  expect(launched.status).toBe(201);
  const A = launched.body.workflowId as string;
  const decisionKey = `approval.board.${SOCOM_BUSINESS_ID}`;
  const reminderKey = 'board.reminder.580 s';
  const decisionItem = `${A} approval:board:${SOCOM_BUSINESS_ID}`;
  const atBoard = await waitForStage(A, 'board');
  expect(atBoard.approvals).toEqual([expect.objectContaining({ gate: 'board', status: 'pending', quorum: 3, members: BOARD, votes: [] })]);

  // 1. Three decide at once, the quorum (3 approvals) not yet reached: two approve, one rejects.
  const decide = (person: string, decision: 'approve' | 'reject') =>
    api.request('POST', `${wfPath(A)}/decisions`, { token: tokens[person], body: { gate: 'board', party: SOCOM_BUSINESS_ID, decision } });
  for (const [person, decision] of [['socom-board-1', 'approve'], ['socom-board-2', 'approve'], ['socom-board-3', 'reject']] as const) {
    const r = await decide(person, decision);
    expect([r.status, r.body.approvals[0].status]).toEqual([200, 'pending']);
  }
  // The reminder has not fired yet (it comes 20 s after the board stage opened).
  expect(await outboxStatuses(A, reminderKey)).toEqual({});
  const sameTwice = await decide('socom-board-1', 'approve');
  expect([sameTwice.status, sameTwice.body.error]).toEqual([422, 'already_decided']);

  // Each member got exactly one mail for the decision, whether they have decided by now or not.
  await eventually(async () => (Object.values(await outboxStatuses(A, decisionKey)).filter((s) => s === 'sent').length === 5 ? true : undefined), 30_000, 'five decision mails')
    .catch(async (err: Error) => {
      const r = await db.pool.query('SELECT step_key, recipient, status, attempts, last_error FROM outbox WHERE workflow_id = $1 ORDER BY id', [A]);
      throw new Error(`${err.message}: ${JSON.stringify(r.rows)}`);
    });
  expect((await mailsOf(A)).map((m) => m.to[0]?.address).sort()).toEqual(BOARD.map((p) => EMAIL[p]).sort());
  expect(await inboxes()).toEqual({
    'socom-board-1': [], 'socom-board-2': [], 'socom-board-3': [],
    'socom-board-4': [decisionItem], 'socom-board-5': [decisionItem],
    [DEPUTY]: [], 'socom-finance-1': [], 'socom-finance-2': [],
  });
  // The calendar: socom-board-4's feed (fetched as Outlook does, without a token, parsed by ical.js) shows
  // the board decision on its Helsinki due date.
  const boardDue = atBoard.approvals[0].dueAt as string;
  expect(await feedEvents(feed4)).toEqual([
    { uid: `${A}/decision/board/${SOCOM_BUSINESS_ID}@fuusio`, start: helsinkiDate(boardDue), summary: expect.stringMatching(/^Decision due: Board of /) },
  ]);

  // 2. The reminder reaches the two who have not decided; the worker is SIGKILLed while the second of
  // those two mails is on its way to SMTP (the gate lets one through and holds the next).
  gate.holdAfter(1);
  await eventually(async () => (gate.held() === 1 && Object.keys(await outboxStatuses(A, reminderKey)).length === 2 ? true : undefined), 40_000, 'one reminder out, the other held');
  worker.kill('SIGKILL');
  await exited(worker);
  expect(worker.signalCode).toBe('SIGKILL');
  expect(Object.values(await outboxStatuses(A, reminderKey)).sort()).toEqual(['sending', 'sent']);
  gate.open();
  worker = startWorker();
  // The restarted sender sets the one in doubt aside (handed over or not, it cannot know) with its
  // Message-ID: an admin looks for it on the mail server and retries only if it is not there.
  const inDoubt = await eventually(async () => {
    const r = await api.request('GET', '/api/notifications/dead-letters', { token: admin });
    const mine = r.body.items.filter((d: { workflowId: string }) => d.workflowId === A);
    return mine.length === 1 ? mine[0] as { id: number; idempotencyKey: string; lastError: string; stepKey: string } : undefined;
  }, 30_000, 'the reminder in doubt');
  expect(inDoubt.stepKey).toBe(reminderKey);
  expect(inDoubt.lastError).toContain(messageId(inDoubt.idempotencyKey));
  expect((await mailsOf(A)).filter((m) => m.headers['message-id'] === messageId(inDoubt.idempotencyKey))).toEqual([]);
  const retried = await api.request('POST', `/api/notifications/dead-letters/${inDoubt.id}/retry`, { token: admin });
  expect([retried.status, retried.body.status]).toEqual([200, 'pending']);
  await eventually(async () => (Object.values(await outboxStatuses(A, reminderKey)).every((s) => s === 'sent') ? true : undefined), 20_000, 'both reminders sent');
  expect(Object.keys(await outboxStatuses(A, reminderKey))).toEqual(['socom-board-4', 'socom-board-5']);
  const reminderMails = (await mailsOf(A)).filter((m) => (m.headers['x-fuusio-delivery'] ?? '').includes(`:${reminderKey}:`));
  expect(reminderMails.map((m) => m.to[0]?.address).sort()).toEqual([EMAIL['socom-board-4'], EMAIL['socom-board-5']].sort());

  // 3. Member 5 is away for a week; a deputy substitutes (a delegation for a date range) and decides "for" them.
  // Dates as the API's clock sees them: Helsinki calendar days.
  const today = helsinkiDate(Date.now());
  const weekOn = new Date(Date.parse(`${today}T00:00:00Z`) + 7 * DAY).toISOString().slice(0, 10);
  const delegated = await api.request('POST', '/api/delegations', {
    token: tokens['socom-board-5'],
    body: { fromPerson: 'socom-board-5', toPerson: DEPUTY, organisation: SOCOM_BUSINESS_ID, role: 'board-member', validFrom: today, validTo: weekOn },
  });
  expect(delegated.status).toBe(201);
  expect(await inbox(DEPUTY)).toEqual([`${decisionItem}:for:socom-board-5`]);
  const forFive = await decide(DEPUTY, 'approve');
  expect(forFive.status).toBe(200);
  expect(forFive.body.approvals[0]).toEqual(expect.objectContaining({
    status: 'approved', votes: expect.arrayContaining([expect.objectContaining({ member: 'socom-board-5', by: DEPUTY })]),
  }));
  // The audit trail records the deciding vote as "B for A", in the workflow's record and the API call's.
  const trail = await db.pool.query(`SELECT action, actor FROM audit_events WHERE workflow_id = $1 AND action IN ('approval.voted', 'approval.approved', 'api.decision') ORDER BY seq`, [A]);
  expect(trail.rows.filter((r) => r.action !== 'api.decision').map((r) => `${r.action} ${r.actor}`)).toEqual([
    'approval.voted manager:socom-board-1', 'approval.voted manager:socom-board-2', 'approval.voted manager:socom-board-3',
    `approval.approved manager:${DEPUTY} for socom-board-5`,
  ]);
  expect(trail.rows.filter((r) => r.action === 'api.decision').map((r) => r.actor)).toEqual([
    'manager:socom-board-1', 'manager:socom-board-2', 'manager:socom-board-3', `manager:${DEPUTY} for socom-board-5`,
  ]);

  // 4. Subscription, then the payment under four eyes: the one who records it may not confirm it.
  await waitForStage(A, 'subscription');
  expect((await api.request('POST', `${wfPath(A)}/events`, { token: admin, body: { type: 'subscription.signed', idempotencyKey: `${A}:signed` } })).status).toBe(202);
  await waitForStage(A, 'payment');
  const paymentItem = `${A} event:payment.received`;
  expect(await inboxes()).toEqual({
    ...Object.fromEntries(BOARD.map((p) => [p, []])),
    [DEPUTY]: [], 'socom-finance-1': [paymentItem], 'socom-finance-2': [paymentItem],
  });
  const event = (person: string, type: string, payload: unknown, key: string) =>
    api.request('POST', `${wfPath(A)}/events`, { token: tokens[person], body: { type, payload, idempotencyKey: key } });
  expect((await event('socom-finance-1', 'payment.received', { amountCents: 1000_00, currency: 'EUR' }, 'pay-1')).status).toBe(202);
  const confirmItem = `${A} task:payment.pay-1`;
  await eventually(async () => ((await inbox('socom-finance-2')).includes(confirmItem) ? true : undefined), 15_000, 'the confirmation task');
  expect(await inboxes()).toEqual({
    ...Object.fromEntries(BOARD.map((p) => [p, []])),
    [DEPUTY]: [], 'socom-finance-1': [paymentItem], 'socom-finance-2': [paymentItem, confirmItem],
  });
  const self = await event('socom-finance-1', 'payment.confirmed', { payment: 'pay-1' }, `${A}:confirm-a`);
  expect([self.status, self.body.error]).toEqual([422, 'four_eyes']);
  expect((await event('socom-finance-2', 'payment.confirmed', { payment: 'pay-1' }, `${A}:confirm-b`)).status).toBe(202);
  const done = await eventually(async () => {
    const r = await api.request('GET', wfPath(A), { token: admin });
    return r.body.status === 'completed' ? r.body : undefined;
  }, 30_000, `${A} completed`);
  expect(done.steps).toEqual(expect.arrayContaining([expect.objectContaining({ key: 'payment.pay-1', status: 'done' })]));
  expect(Object.values(await inboxes()).flat()).toEqual([]);
  // Decided and completed: nothing of this run is left in the member's calendar.
  expect((await feedEvents(feed4)).filter((e) => e.uid.startsWith(`${A}/`))).toEqual([]);

  // 5. In the end every e-mail the outbox holds for the run was delivered, each exactly once.
  await eventually(async () => {
    const r = await db.pool.query(`SELECT 1 FROM outbox WHERE workflow_id = $1 AND status <> 'sent'`, [A]);
    return r.rowCount === 0 ? true : undefined;
  }, 20_000, 'the outbox drained');
  const rows = await db.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE workflow_id = $1 AND channel = 'email'`, [A]);
  const all = await mailsOf(A);
  const perRecipientAndSubject = new Map<string, number>();
  for (const m of all) {
    const k = `${m.to[0]?.address} ${m.subject}`;
    perRecipientAndSubject.set(k, (perRecipientAndSubject.get(k) ?? 0) + 1);
  }
  expect(all).toHaveLength(rows.rows[0]?.n ?? -1);
  expect([...perRecipientAndSubject.values()].every((n) => n === 1)).toBe(true);
  expect(new Set(all.map((m) => m.headers['message-id'])).size).toBe(all.length);
});
