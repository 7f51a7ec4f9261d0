import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createTrackingActivities } from '../activities/tracking/tracking.activities';
import { createOnboardingActivities } from '../activities/registry/onboarding.activities';
import { startMailDev, type MailCatcher } from '../infra/dev/maildev';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { TokenRepository } from '../libs/db/repositories/token.repository';
import { OutboxSender, messageId, type OutboxSenderOptions } from '../libs/notify/outbox-sender';
import { verifyWebhook } from '../libs/notify/webhook-signature';
import type { ApprovalView, TrackRequest } from '../libs/domain/progress';
import { progressQuery } from '../workflows/kit/messages';
import { cli } from './support/cli';
import { associationApplication } from './support/onboarding-fixtures';
import { eventually } from './support/harness';
import { insertPeople } from './support/people';
import { startStack, type Stack } from './support/stack';

const PUBLIC_URL = 'http://fuusio.test';
const BOARD = [
  { id: 'nt-board-fi', email: 'board.fi@socom.example', language: 'fi' as const },
  { id: 'nt-board-sv', email: 'board.sv@socom.example', language: 'sv' as const },
  { id: 'nt-board-en', email: 'board.en@socom.example', language: 'en' as const },
];

let stack: Stack;
let mail: MailCatcher;
let otherOrg: string;

beforeAll(async () => {
  [stack, mail] = await Promise.all([startStack(), startMailDev()]);
  await insertPeople(stack.db.pool, BOARD.map((p) => ({ ...p, organisation: SOCOM_BUSINESS_ID, role: 'board-member', body: 'board' })));
  const r = await stack.db.pool.query<{ business_id: string }>(
    'SELECT business_id FROM organisations WHERE business_id <> $1 ORDER BY business_id LIMIT 1', [SOCOM_BUSINESS_ID]);
  otherOrg = r.rows[0]?.business_id as string;
}, 120_000);

afterAll(async () => {
  await mail?.stop();
  await stack?.stop();
});

function sender(opts: Partial<OutboxSenderOptions> = {}): OutboxSender {
  return new OutboxSender({ pool: stack.db.pool, smtpUrl: mail.smtpUrl, publicUrl: PUBLIC_URL, leaseMs: 300, backoffBaseMs: 150, ...opts });
}

type CaughtMail = { subject: string; text: string; to: { address: string }[]; headers: Record<string, string> };

/** The mails MailDev caught for one workflow (their Message-ID carries the workflow id). */
async function mailsOf(workflowId: string): Promise<CaughtMail[]> {
  const all = (await (await fetch(`${mail.webUrl}api/email`)).json()) as CaughtMail[];
  return all.filter((m) => (m.headers['message-id'] ?? '').includes(encodeURIComponent(`${workflowId}:`)));
}

async function drain(s: OutboxSender): Promise<void> {
  while ((await s.runOnce()) > 0) { /* until nothing is due */ }
}

async function auditActions(workflowId: string): Promise<string[]> {
  const r = await stack.db.pool.query<{ action: string }>(
    `SELECT action FROM audit_events WHERE workflow_id = $1 AND action LIKE 'notification.%' ORDER BY seq`, [workflowId]);
  return r.rows.map((x) => x.action);
}

/** A tracking write that opens approvals, as a workflow's tracking activity makes it. */
function opening(workflowId: string, approvals: ApprovalView[]): TrackRequest {
  return {
    key: 'stage.decisions.enter', action: 'stage.entered', actor: 'system',
    run: {
      workflowId, kind: 'consolidation', businessKey: workflowId, title: `Test ${workflowId}`, status: 'running', stage: 'decisions',
      percent: 40, organisations: approvals.map((a) => a.party), waitingFor: [], nextDeadline: null, stages: [],
      startedAt: '2026-01-05T09:00:00.000Z',
    },
    approvals,
  };
}

describe('notifications that arrive: outbox, SMTP, webhooks', () => {
  test('an onboarding\'s board gate opening sends one mail per board member, in their language, with the link', async () => {
    const workflowId = `test-notify-board-${Date.now()}`;
    const handle = await stack.temporal.client.workflow.start('onboardShareholder', {
      taskQueue: stack.temporal.taskQueue, workflowId, args: [associationApplication()],
    });
    await eventually(async () => ((await handle.query(progressQuery)).stage === 'board' ? true : undefined), 20_000, 'board stage');
    const queued = await eventually(async () => {
      const r = await stack.db.pool.query('SELECT recipient FROM outbox WHERE workflow_id = $1 ORDER BY recipient', [workflowId]);
      return r.rowCount === BOARD.length ? r.rows.map((x) => x.recipient as string) : undefined;
    }, 20_000, 'outbox rows');
    expect(queued).toEqual(BOARD.map((p) => p.id).sort());

    await drain(sender());
    const mails = await mailsOf(workflowId);
    expect(mails).toHaveLength(BOARD.length);
    const bySubjectStart = Object.fromEntries(mails.map((m) => [m.to[0]?.address, m.subject]));
    expect(bySubjectStart['board.fi@socom.example']).toMatch(/^Päätös odottaa: /);
    expect(bySubjectStart['board.sv@socom.example']).toMatch(/^Beslut väntar: /);
    expect(bySubjectStart['board.en@socom.example']).toMatch(/^Decision awaited: /);
    for (const m of mails) expect(m.text).toContain(`${PUBLIC_URL}/#/w/${encodeURIComponent(workflowId)}`);

    const token = await stack.api.token('manager');
    const deliveries = await stack.api.request('GET', `/api/workflows/${encodeURIComponent(workflowId)}/deliveries`, { token });
    expect(deliveries.status).toBe(200);
    expect(deliveries.body.items.map((d: { status: string; channel: string }) => `${d.channel}:${d.status}`)).toEqual(Array(3).fill('email:sent'));
    expect(await auditActions(workflowId)).toEqual(Array(3).fill('notification.sent'));
    await handle.terminate('test over');
  });

  test('a reminder reaches only those who have not decided, once however often the activity runs', async () => {
    const workflowId = `test-notify-reminder-${Date.now()}`;
    const track = createTrackingActivities({ pool: stack.db.pool }).track;
    await track(opening(workflowId, [
      { gate: 'decisions/board', party: SOCOM_BUSINESS_ID, body: 'Board of Socom', status: 'pending', dueAt: '2026-02-01T00:00:00.000Z' },
      { gate: 'decisions/board', party: otherOrg, body: 'Board', status: 'approved', dueAt: '2026-02-01T00:00:00.000Z' },
    ]));
    await drain(sender());
    // The gate's named members as the people branch records them: one has voted already.
    await stack.db.pool.query(
      `UPDATE approvals SET members = $2, votes = $3 WHERE workflow_id = $1 AND party = $4`,
      [workflowId, BOARD.map((p) => p.id), JSON.stringify([{ member: 'nt-board-fi', decision: 'approve', at: '2026-01-10T10:00:00.000Z' }]), SOCOM_BUSINESS_ID],
    );
    const { sendReminder } = createOnboardingActivities({ pool: stack.db.pool });
    const reminder = { workflowId, stepKey: 'decisions.reminder.1 day', recipients: [SOCOM_BUSINESS_ID, otherOrg], subject: 'Reminder', body: 'Decide, please.' };
    await sendReminder(reminder);
    await sendReminder(reminder); // an activity retry
    const rows = await stack.db.pool.query(
      `SELECT recipient FROM outbox WHERE workflow_id = $1 AND step_key = $2 ORDER BY recipient`, [workflowId, reminder.stepKey]);
    expect(rows.rows.map((x) => x.recipient)).toEqual(['nt-board-en', 'nt-board-sv']);

    await drain(sender());
    const reminders = (await mailsOf(workflowId)).filter((m) => /^(Reminder|Påminnelse|Muistutus)/.test(m.subject));
    expect(reminders.map((m) => m.to[0]?.address).sort()).toEqual(['board.en@socom.example', 'board.sv@socom.example']);
  });

  test('an onboarding\'s reminder reads in each member\'s language: the run\'s title and what is due, from the step key', async () => {
    const workflowId = `test-notify-reminder-words-${Date.now()}`;
    const opened = opening(workflowId, [{ gate: 'board', party: SOCOM_BUSINESS_ID, body: 'Board of Socom Oy', status: 'pending', dueAt: null }]);
    const title = `Testiyhdistys ry → shareholder of ${SOCOM_BUSINESS_ID}`;
    await createTrackingActivities({ pool: stack.db.pool }).track({ ...opened, run: { ...opened.run, kind: 'onboarding', stage: 'board', title } });
    const { sendReminder } = createOnboardingActivities({ pool: stack.db.pool });
    // As the onboarding workflow composes it (its English subject and body).
    await sendReminder({
      workflowId, stepKey: 'board.reminder.28 s', recipients: [SOCOM_BUSINESS_ID],
      subject: 'Reminder: board is due in 28 s', body: `${SOCOM_BUSINESS_ID} is waiting for the board of Testiyhdistys ry.`,
    });
    await drain(sender());
    const reminders = (await mailsOf(workflowId)).filter((m) => /^(Reminder|Påminnelse|Muistutus):/.test(m.subject));
    const byAddress = Object.fromEntries(reminders.map((m) => [m.to[0]?.address, m]));
    expect(byAddress['board.fi@socom.example']?.subject).toBe(`Muistutus: Testiyhdistys ry → osakkaaksi yhtiöön ${SOCOM_BUSINESS_ID}`);
    expect(byAddress['board.sv@socom.example']?.subject).toBe(`Påminnelse: Testiyhdistys ry → delägare i ${SOCOM_BUSINESS_ID}`);
    expect(byAddress['board.en@socom.example']?.subject).toBe(`Reminder: ${title}`);
    expect(byAddress['board.sv@socom.example']?.text).toContain('Styrelsens beslut: tidsfristen går ut om 28 sekunder.');
    expect(byAddress['board.fi@socom.example']?.text).toContain('Hallituksen päätös: määräaikaa on jäljellä 28 sekuntia.');
    for (const m of reminders.filter((x) => x.to[0]?.address !== 'board.en@socom.example')) expect(m.text).not.toMatch(/is waiting for|englanniksi|på engelska/);
    // The approval mail names the deciding body in the member's language too.
    const approval = (await mailsOf(workflowId)).find((m) => m.to[0]?.address === 'board.sv@socom.example' && m.subject.startsWith('Beslut väntar'));
    expect(approval?.text).toContain('Beslutande organ: Styrelsen för Socom Oy');
  });

  test('a sender stopped between handing a mail to SMTP and recording it sends no mail twice after a restart', async () => {
    const workflowId = `test-notify-crash-${Date.now()}`;
    await createTrackingActivities({ pool: stack.db.pool }).track(opening(workflowId, [
      { gate: 'board', party: SOCOM_BUSINESS_ID, body: 'Board of Socom', status: 'pending', dueAt: null },
    ]));
    let handedOff = 0;
    const crashing = sender({
      afterHandOff: async () => {
        handedOff += 1;
        throw new Error('the sender stops here (simulated crash)');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('simulated crash');
    expect(handedOff).toBe(1);

    // A restarted sender finds the rest when the lease runs out.
    const restarted = sender();
    await eventually(async () => {
      await restarted.runOnce();
      const r = await stack.db.pool.query(`SELECT 1 FROM outbox WHERE workflow_id = $1 AND status IN ('pending', 'sending', 'failed')`, [workflowId]);
      return r.rowCount === 0 ? true : undefined;
    }, 10_000, 'the outbox drained');

    const mails = await mailsOf(workflowId);
    const perMessageId = new Map<string, number>();
    for (const m of mails) perMessageId.set(m.headers['message-id'] ?? '', (perMessageId.get(m.headers['message-id'] ?? '') ?? 0) + 1);
    expect(mails).toHaveLength(BOARD.length);
    expect([...perMessageId.values()]).toEqual([1, 1, 1]);

    const rows = await stack.db.pool.query<{ idempotency_key: string; status: string; last_error: string | null }>(
      'SELECT idempotency_key, status, last_error FROM outbox WHERE workflow_id = $1 ORDER BY id', [workflowId]);
    const inDoubt = rows.rows.filter((r) => r.status === 'dead');
    expect(inDoubt).toHaveLength(1);
    expect(inDoubt[0]?.last_error).toContain(`in doubt`);
    expect(inDoubt[0]?.last_error).toContain(messageId(inDoubt[0]?.idempotency_key ?? ''));
    expect(rows.rows.filter((r) => r.status === 'sent')).toHaveLength(2);
  });

  test('a database fault while recording a delivered mail is retried: the mail is recorded sent once, not set aside in doubt', async () => {
    const workflowId = `test-notify-record-fault-${Date.now()}`;
    // The first attempt to record any delivery fails as a dropped connection would (a sequence is not rolled back).
    await stack.db.pool.query(`
      CREATE SEQUENCE record_fault_once;
      CREATE FUNCTION record_fault_once() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.status = 'sent' AND nextval('record_fault_once') = 1 THEN RAISE EXCEPTION 'simulated connection loss while recording'; END IF;
        RETURN NEW;
      END $$;
      CREATE TRIGGER record_fault_once BEFORE UPDATE ON outbox FOR EACH ROW EXECUTE FUNCTION record_fault_once();`);
    try {
      await createTrackingActivities({ pool: stack.db.pool }).track(opening(workflowId, [
        { gate: 'board', party: SOCOM_BUSINESS_ID, body: 'Board of Socom', status: 'pending', dueAt: null },
      ]));
      const logged: string[] = [];
      await drain(sender({ log: (msg) => logged.push(msg) }));
      expect(logged).toContain('recording a delivery failed; trying again');
      const rows = await stack.db.pool.query<{ status: string }>('SELECT status FROM outbox WHERE workflow_id = $1', [workflowId]);
      expect(rows.rows.map((r) => r.status)).toEqual(BOARD.map(() => 'sent'));
      const perMessageId = new Map<string, number>();
      for (const m of await mailsOf(workflowId)) perMessageId.set(m.headers['message-id'] ?? '', (perMessageId.get(m.headers['message-id'] ?? '') ?? 0) + 1);
      expect([...perMessageId.values()]).toEqual(BOARD.map(() => 1));
    } finally {
      await stack.db.pool.query('DROP TRIGGER record_fault_once ON outbox; DROP FUNCTION record_fault_once(); DROP SEQUENCE record_fault_once;');
    }
  });

  test('a webhook is signed, retried with backoff on 500, dead-lettered, and sent again when an admin retries', async () => {
    const received: { at: number; delivery: string; valid: boolean; body: string }[] = [];
    let answer = 500;
    let secret = '';
    const server: Server = createServer((req: IncomingMessage, res) => {
      let body = '';
      req.on('data', (c: Buffer) => { body += c.toString(); });
      req.on('end', () => {
        const ts = String(req.headers['x-fuusio-timestamp']);
        received.push({ at: Date.now(), delivery: String(req.headers['x-fuusio-delivery']), valid: verifyWebhook(secret, ts, body, String(req.headers['x-fuusio-signature'])), body });
        res.statusCode = answer;
        res.end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    try {
      const admin = await stack.api.token('admin');
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
      const created = await stack.api.request('POST', '/api/webhooks', { token: admin, body: { organisation: otherOrg, url } });
      expect(created.status).toBe(201);
      secret = created.body.secret;

      const workflowId = `test-notify-webhook-${Date.now()}`;
      await createOnboardingActivities({ pool: stack.db.pool }).sendReminder({
        workflowId, stepKey: 'subscription.reminder.7 days', recipients: [otherOrg], subject: 'Reminder', body: 'Sign, please.',
      });
      const hooks = sender({ maxAttempts: 3 });
      const dead = await eventually(async () => {
        await hooks.runOnce();
        const r = await stack.db.pool.query(`SELECT id FROM outbox WHERE workflow_id = $1 AND status = 'dead'`, [workflowId]);
        return r.rows[0]?.id as string | undefined;
      }, 15_000, 'the webhook dead-lettered');
      expect(received).toHaveLength(3);
      expect(received.every((r) => r.valid)).toBe(true);
      expect(new Set(received.map((r) => r.delivery)).size).toBe(1);
      expect(JSON.parse(received[0]?.body ?? '{}')).toMatchObject({ type: 'reminder', workflowId, stepKey: 'subscription.reminder.7 days' });
      // Backoff: the second wait (2 × base) is longer than the first (base).
      const [a, b, c] = received.map((r) => r.at) as [number, number, number];
      expect(b - a).toBeGreaterThanOrEqual(150);
      expect(c - b).toBeGreaterThanOrEqual(300);

      const letters = await stack.api.request('GET', '/api/notifications/dead-letters', { token: admin });
      expect(letters.body.items.map((x: { id: number }) => String(x.id))).toContain(String(dead));
      const manager = await stack.api.token('manager');
      expect((await stack.api.request('POST', `/api/notifications/dead-letters/${dead}/retry`, { token: manager })).status).toBe(403);

      answer = 200;
      const retried = await stack.api.request('POST', `/api/notifications/dead-letters/${dead}/retry`, { token: admin });
      expect(retried.status).toBe(200);
      expect(retried.body.status).toBe('pending');
      await drain(hooks);
      expect(received).toHaveLength(4);
      expect(received[3]?.valid).toBe(true);
      // (No tracked run stands behind this workflow id, so the outbox is read here rather than its detail.)
      const rows = await stack.db.pool.query('SELECT channel, status, attempts FROM outbox WHERE workflow_id = $1', [workflowId]);
      expect(rows.rows).toEqual([{ channel: 'webhook', status: 'sent', attempts: 1 }]);
      expect(await auditActions(workflowId)).toEqual([
        'notification.failed', 'notification.failed', 'notification.dead', 'notification.retried', 'notification.sent',
      ]);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  test('a webhook URL that is not https (nor loopback http) is refused with the field, and nothing is written', async () => {
    const admin = await stack.api.token('admin');
    const before = await stack.db.pool.query('SELECT count(*)::int AS n FROM webhooks');
    for (const url of ['http://hooks.example.org/fuusio', 'ftp://127.0.0.1/x', 'not a url']) {
      const res = await stack.api.request('POST', '/api/webhooks', { token: admin, body: { organisation: otherOrg, url } });
      expect(res.status).toBe(400);
      expect(res.body.details).toEqual([expect.objectContaining({ path: 'url' })]);
    }
    const after = await stack.db.pool.query('SELECT count(*)::int AS n FROM webhooks');
    expect(after.rows[0].n).toBe(before.rows[0].n);
  });

  test('a substitute receives the approval and reminder mails of the role for the days of the delegation, and only then', async () => {
    const r = await stack.db.pool.query<{ business_id: string }>(
      'SELECT business_id FROM organisations WHERE business_id <> ALL($1::text[]) ORDER BY business_id LIMIT 1', [[SOCOM_BUSINESS_ID, otherOrg]]);
    const org = r.rows[0]?.business_id as string;
    await insertPeople(stack.db.pool, [
      { id: 'nt-council-1', email: 'council1@org.example', language: 'fi', organisation: org, role: 'council-member', body: 'council' },
      { id: 'nt-council-2', email: 'council2@org.example', language: 'en', organisation: org, role: 'council-member', body: 'council' },
      { id: 'nt-council-sub', email: 'substitute@org.example', language: 'sv', organisation: SOCOM_BUSINESS_ID, role: 'finance' },
      { id: 'nt-council-old', email: 'former-substitute@org.example', language: 'fi', organisation: SOCOM_BUSINESS_ID, role: 'finance' },
    ]);
    // In force today (the Helsinki date by the database's clock, as the recipients query reads it), and one that ended yesterday.
    await stack.db.pool.query(
      `INSERT INTO delegations (from_person, to_person, organisation, role, valid_from, valid_to, created_by) VALUES
         ('nt-council-1', 'nt-council-sub', $1, 'council-member', $2::date, $2::date + 6, 'test'),
         ('nt-council-2', 'nt-council-old', $1, 'council-member', $2::date - 7, $2::date - 1, 'test')`,
      [org, (await stack.db.pool.query(`SELECT (now() AT TIME ZONE 'Europe/Helsinki')::date::text AS d`)).rows[0].d]);

    const workflowId = `test-notify-substitute-${Date.now()}`;
    await createTrackingActivities({ pool: stack.db.pool }).track(opening(workflowId, [
      { gate: 'decisions/council', party: org, body: 'Council', status: 'pending', dueAt: '2026-02-01T00:00:00.000Z' },
    ]));
    await createOnboardingActivities({ pool: stack.db.pool }).sendReminder({
      workflowId, stepKey: 'decisions.reminder.1 day', recipients: [org], subject: 'Reminder', body: 'Decide, please.',
    });
    const rows = await stack.db.pool.query(
      `SELECT template, recipient FROM outbox WHERE workflow_id = $1 AND channel = 'email' ORDER BY template, recipient`, [workflowId]);
    expect(rows.rows.map((x) => `${x.template}:${x.recipient}`)).toEqual([
      'approval.opened:nt-council-1', 'approval.opened:nt-council-2', 'approval.opened:nt-council-sub',
      'reminder:nt-council-1', 'reminder:nt-council-2', 'reminder:nt-council-sub',
    ]);

    await drain(sender());
    const mails = await mailsOf(workflowId);
    const toSubstitute = mails.filter((m) => m.to[0]?.address === 'substitute@org.example').map((m) => m.subject);
    expect(toSubstitute).toHaveLength(2);
    expect(toSubstitute.every((subject) => /^(Beslut väntar|Påminnelse)/.test(subject))).toBe(true);
    // The substitute's copy says whom they stand in for; the member's own does not.
    for (const m of mails.filter((x) => x.to[0]?.address === 'substitute@org.example')) {
      expect(m.text).toMatch(/^Du får detta meddelande som ersättare för nt-council-1\./);
    }
    expect(mails.filter((m) => m.to[0]?.address === 'council1@org.example').every((m) => !/sijais/.test(m.text))).toBe(true);
    expect(mails.some((m) => m.to[0]?.address === 'former-substitute@org.example')).toBe(false);
  });

  test('a Swedish-speaking board member gets Swedish mail with the deadline as a Helsinki date; a substitute\'s says for whom', async () => {
    const r = await stack.db.pool.query<{ business_id: string }>(
      'SELECT business_id FROM organisations WHERE business_id <> ALL($1::text[]) ORDER BY business_id OFFSET 2 LIMIT 1', [[SOCOM_BUSINESS_ID, otherOrg]]);
    const org = r.rows[0]?.business_id as string;
    await insertPeople(stack.db.pool, [
      { id: 'nt-styrelse-sv', displayName: 'Anders Holm', email: 'anders.holm@org.example', language: 'sv', organisation: org, role: 'board-member', body: 'styrelse' },
      { id: 'nt-hallitus-fi', displayName: 'Maija Virtanen', email: 'maija.virtanen@org.example', language: 'fi', organisation: org, role: 'board-member', body: 'styrelse' },
      { id: 'nt-sijainen-fi', displayName: 'Pekka Laine', email: 'pekka.laine@org.example', language: 'fi', organisation: org, role: 'finance' },
    ]);
    const today = (await stack.db.pool.query(`SELECT (now() AT TIME ZONE 'Europe/Helsinki')::date::text AS d`)).rows[0].d as string;
    await stack.db.pool.query(
      `INSERT INTO delegations (from_person, to_person, organisation, role, valid_from, valid_to, created_by)
       VALUES ('nt-hallitus-fi', 'nt-sijainen-fi', $1, 'board-member', $2::date, $2::date + 6, 'test')`, [org, today]);

    const workflowId = `test-notify-languages-${Date.now()}`;
    // 22:30 UTC on 31 January is already 1 February in Helsinki: the date a reader there sees.
    await createTrackingActivities({ pool: stack.db.pool }).track(opening(workflowId, [
      { gate: 'decisions/styrelse', party: org, body: 'Styrelsen', status: 'pending', dueAt: '2026-01-31T22:30:00.000Z' },
    ]));
    await drain(sender());
    const mails = await mailsOf(workflowId);
    const to = (address: string) => mails.find((m) => m.to[0]?.address === address);
    expect(mails).toHaveLength(3);

    const swedish = to('anders.holm@org.example');
    expect(swedish?.subject).toBe(`Beslut väntar: Test ${workflowId}`);
    expect(swedish?.text).toContain(`Ett beslut väntas av dig i ärendet Test ${workflowId}.`);
    expect(swedish?.text).toContain('Beslutande organ: Styrelsen');
    expect(swedish?.text).toContain('Tidsfrist: 1 februari 2026');
    expect(swedish?.text).toContain(`Öppna ärendet: ${PUBLIC_URL}/#/w/${encodeURIComponent(workflowId)}`);
    expect(swedish?.text).not.toContain('ersättare');

    const member = to('maija.virtanen@org.example');
    expect(member?.subject).toBe(`Päätös odottaa: Test ${workflowId}`);
    expect(member?.text).toContain('Määräaika: 1. helmikuuta 2026');
    expect(member?.text).not.toContain('sijaisena');

    const substitute = to('pekka.laine@org.example');
    expect(substitute?.subject).toBe(`Päätös odottaa: Test ${workflowId}`);
    expect(substitute?.text).toMatch(/^Saat tämän viestin henkilön Maija Virtanen sijaisena\.\n/);
    expect(substitute?.text).toContain('Määräaika: 1. helmikuuta 2026');
    // The outbox keeps whom the substitute stands in for by id only: the name is read when the mail is sent.
    const row = await stack.db.pool.query(`SELECT params FROM outbox WHERE workflow_id = $1 AND recipient = 'nt-sijainen-fi'`, [workflowId]);
    expect(row.rows[0]?.params.onBehalfOf).toEqual(['nt-hallitus-fi']);
    expect(JSON.stringify(row.rows[0]?.params)).not.toContain('Maija');
  });

  test('admins list webhooks without their secrets and deactivate one: nothing more is queued for it, twice is refused', async () => {
    const admin = await stack.api.token('admin');
    const created = await stack.api.request('POST', '/api/webhooks', { token: admin, body: { organisation: otherOrg, url: 'https://hooks.example.org/fuusio' } });
    expect(created.status).toBe(201);
    const id = created.body.id as number;

    const listed = await stack.api.request('GET', '/api/webhooks', { token: admin });
    expect(listed.status).toBe(200);
    const mine = listed.body.items.find((h: { id: number }) => h.id === id);
    expect(mine).toEqual({
      id, organisation: otherOrg, url: 'https://hooks.example.org/fuusio', createdBy: expect.stringMatching(/^admin:/), createdAt: expect.any(String),
      active: true, deactivatedAt: null, deactivatedBy: null,
    });
    expect(JSON.stringify(listed.body)).not.toContain(created.body.secret);
    // A token scoped to another organisation sees none of it; a manager may not list at all.
    const scoped = await stack.api.token('admin', SOCOM_BUSINESS_ID);
    expect((await stack.api.request('GET', '/api/webhooks', { token: scoped })).body.items.map((h: { id: number }) => h.id)).not.toContain(id);
    expect((await stack.api.request('POST', `/api/webhooks/${id}/deactivate`, { token: scoped })).status).toBe(404);
    const manager = await stack.api.token('manager');
    expect((await stack.api.request('GET', '/api/webhooks', { token: manager })).status).toBe(403);
    expect((await stack.api.request('POST', `/api/webhooks/${id}/deactivate`, { token: manager })).status).toBe(403);

    const off = await stack.api.request('POST', `/api/webhooks/${id}/deactivate`, { token: admin });
    expect(off.status).toBe(200);
    expect(off.body).toMatchObject({ id, active: false, deactivatedBy: expect.stringMatching(/^admin:/) });
    const again = await stack.api.request('POST', `/api/webhooks/${id}/deactivate`, { token: admin });
    expect([again.status, again.body.error, again.body.details]).toEqual([422, 'webhook_inactive', [{ path: 'id', message: 'already deactivated' }]]);
    expect((await stack.api.request('POST', '/api/webhooks/99999999/deactivate', { token: admin })).status).toBe(404);

    const workflowId = `test-notify-webhook-off-${Date.now()}`;
    await createOnboardingActivities({ pool: stack.db.pool }).sendReminder({
      workflowId, stepKey: 'subscription.reminder.7 days', recipients: [otherOrg], subject: 'Reminder', body: 'Sign, please.',
    });
    const queued = await stack.db.pool.query(`SELECT recipient FROM outbox WHERE workflow_id = $1 AND channel = 'webhook'`, [workflowId]);
    expect(queued.rows.map((x) => x.recipient)).not.toContain(`webhook-${id}`);
  });

  test('a person who takes a daily digest gets one mail per Helsinki day once the day is over, made once however often the sender runs', async () => {
    const r = await stack.db.pool.query<{ business_id: string }>(
      'SELECT business_id FROM organisations WHERE business_id <> ALL($1::text[]) ORDER BY business_id OFFSET 1 LIMIT 1', [[SOCOM_BUSINESS_ID, otherOrg]]);
    const org = r.rows[0]?.business_id as string;
    await insertPeople(stack.db.pool, [
      { id: 'nt-digest-daily', email: 'daily@org.example', language: 'fi', organisation: org, role: 'board-member', body: 'digest-board' },
      { id: 'nt-digest-now', email: 'now@org.example', language: 'en', organisation: org, role: 'board-member', body: 'digest-board' },
    ]);
    const own = (await new TokenRepository().create(stack.db.pool, { name: 'test-digest-daily', role: 'manager', personId: 'nt-digest-daily' })).token;
    const other = (await new TokenRepository().create(stack.db.pool, { name: 'test-digest-now', role: 'manager', personId: 'nt-digest-now' })).token;
    const admin = await stack.api.token('admin');

    // The preference: the person themselves (API and CLI) or an admin; refused with the field, nothing written.
    const bad = await stack.api.request('POST', '/api/people/nt-digest-daily/notify', { token: own, body: { notify: 'weekly' } });
    expect([bad.status, bad.body.details?.[0]?.path]).toEqual([400, 'notify']);
    expect((await stack.api.request('POST', '/api/people/nt-digest-daily/notify', { token: other, body: { notify: 'daily' } })).status).toBe(403);
    expect((await stack.api.request('POST', '/api/people/nt-nobody/notify', { token: admin, body: { notify: 'daily' } })).status).toBe(404);
    expect((await stack.api.request('GET', '/api/people/nt-digest-daily/notify', { token: own })).body).toEqual({ personId: 'nt-digest-daily', notify: 'immediate' });
    const set = await cli(['people', 'notify', 'nt-digest-daily', 'daily'], { FUUSIO_API_URL: stack.api.baseUrl, FUUSIO_TOKEN: own });
    expect([set.code, set.stdout]).toEqual([0, 'nt-digest-daily: daily digest\n']);

    const workflowId = `test-notify-digest-${Date.now()}`;
    await createTrackingActivities({ pool: stack.db.pool }).track(opening(workflowId, [
      { gate: 'decisions/digest-board', party: org, body: 'Digest board', status: 'pending', dueAt: '2026-02-01T00:00:00.000Z' },
    ]));
    await createOnboardingActivities({ pool: stack.db.pool }).sendReminder({
      workflowId, stepKey: 'decisions.reminder.1 day', recipients: [org], subject: 'Reminder', body: 'Decide, please.',
    });
    const held = await stack.db.pool.query<{ day: string }>(
      `SELECT DISTINCT (created_at AT TIME ZONE 'Europe/Helsinki')::date::text AS day FROM outbox WHERE workflow_id = $1 AND status = 'held'`, [workflowId]);
    expect(held.rows).toHaveLength(1);
    const day = held.rows[0]?.day as string;
    const nextDay = new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const mailsTo = async (address: string) =>
      ((await (await fetch(`${mail.webUrl}api/email`)).json()) as CaughtMail[]).filter((m) => m.to[0]?.address === address);

    // Later the same Helsinki day: the immediate person has both mails, the daily one nothing yet.
    await drain(sender({ now: () => new Date(`${day}T20:00:00Z`) }));
    expect((await mailsTo('now@org.example')).map((m) => m.subject)).toEqual([expect.stringMatching(/^Decision awaited/), expect.stringMatching(/^Reminder/)]);
    expect(await mailsTo('daily@org.example')).toEqual([]);

    // The next morning in Helsinki: one digest with both, however often the sender runs.
    const morning = sender({ now: () => new Date(`${nextDay}T05:00:00Z`) });
    await drain(morning);
    await drain(morning);
    expect(await morning.makeDigests()).toBe(0);
    const digests = await mailsTo('daily@org.example');
    expect(digests).toHaveLength(1);
    // The digest's Helsinki day as a Finnish reader writes a date (e.g. 3. joulukuuta 2026).
    const finnishDay = new Intl.DateTimeFormat('fi-FI', { dateStyle: 'long', timeZone: 'UTC' }).format(new Date(`${day}T00:00:00Z`));
    expect(digests[0]?.subject).toBe(`Päivän kooste ${finnishDay}: 2 viestiä`);
    expect(digests[0]?.text).toContain(`Päätös odottaa: Test ${workflowId}`);
    expect(digests[0]?.text).toContain(`Muistutus: Test ${workflowId}`);
    expect(digests[0]?.text).toContain(`${PUBLIC_URL}/#/w/${encodeURIComponent(workflowId)}`);
    const rows = await stack.db.pool.query(
      `SELECT o.status, d.idempotency_key AS digest, d.status AS digest_status FROM outbox o LEFT JOIN outbox d ON d.id = o.digest_id
        WHERE o.workflow_id = $1 AND o.recipient = 'nt-digest-daily' ORDER BY o.id`, [workflowId]);
    expect(rows.rows).toEqual(Array(2).fill({ status: 'digested', digest: `digest:nt-digest-daily:${day}:email`, digest_status: 'sent' }));
  });
});
