import { refusalOf } from './support/refusal';
import { AuditRepository } from '../libs/db/repositories/audit.repository';
import { RegistryRepository } from '../libs/db/repositories/registry.repository';
import { checkRegister } from '../libs/domain/shares';
import { helsinkiDate } from '../libs/domain/helsinki-time';
import { SOCOM_BUSINESS_ID } from '../infra/seed/demo-data';
import { cancelUpdate, decideUpdate, eventUpdate, progressQuery } from '../workflows/kit/messages';
import type { OnboardingInput } from '../libs/domain/schemas';
import { ADMIN, MANAGER, associationApplication, countyApplication } from './support/onboarding-fixtures';
import { eventually, type TestDatabase, type TestTemporal } from './support/harness';
import { startStack, type WorkerStack } from './support/stack';

let stack: WorkerStack;
let db: TestDatabase;
let temporal: TestTemporal;
const registry = new RegistryRepository();

beforeAll(async () => {
  stack = await startStack({ api: false });
  ({ db, temporal } = stack);
});

afterAll(async () => {
  await stack?.stop();
});

let seq = 0;
async function launch(input: OnboardingInput) {
  seq += 1;
  return temporal.client.workflow.start('onboardShareholder', {
    taskQueue: temporal.taskQueue,
    workflowId: `test-onboarding-${Date.now()}-${seq}`,
    args: [input],
  });
}

async function waitForStage(handle: Awaited<ReturnType<typeof launch>>, stage: string) {
  return eventually(async () => {
    const view = await handle.query(progressQuery);
    return view.stage === stage && view.stages.find((s) => s.key === stage)?.status === 'running' ? view : undefined;
  }, 20_000, `stage ${stage}`);
}

describe('onboardShareholder on a real Temporal server and PostgreSQL', () => {
  test('a wellbeing county is onboarded: decision, signature, payments in parts, register and notices', async () => {
    const input = countyApplication();
    const issuedBefore = (await registry.company(db.pool, SOCOM_BUSINESS_ID))?.sharesIssued ?? 0;
    const holdersBefore = new Set((await registry.holdings(db.pool, SOCOM_BUSINESS_ID, helsinkiDate(Date.now()))).map((h) => h.holderId));
    const handle = await launch(input);
    const atBoard = await waitForStage(handle, 'board');
    expect(atBoard.pendingApprovals).toEqual([expect.objectContaining({ gate: 'board', party: SOCOM_BUSINESS_ID, status: 'pending' })]);

    // A party outside the gate is refused, and nothing is recorded for it.
    const outsider = await refusalOf(handle.executeUpdate(decideUpdate, {
      args: [{ gate: 'board', party: '2229500-6', decision: 'approve', actor: MANAGER }],
    }));
    expect(outsider.type).toBe('NotInGate');

    const afterDecision = await handle.executeUpdate(decideUpdate, {
      args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', reference: '§ 12/2023', comment: 'welcome', actor: MANAGER }],
    });
    expect(afterDecision.pendingApprovals).toHaveLength(0);
    // A second decision on the closed gate is refused.
    expect((await refusalOf(handle.executeUpdate(decideUpdate, {
      args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', actor: MANAGER }],
    }))).type).toBe('GateClosed');

    await waitForStage(handle, 'subscription');
    // Payment before the subscription is signed is not expected yet.
    expect((await refusalOf(handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: 100, currency: 'EUR' }, idempotencyKey: 'early', actor: ADMIN }],
    }))).type).toBe('EventNotExpected');
    await handle.executeUpdate(eventUpdate, { args: [{ type: 'subscription.signed', payload: {}, idempotencyKey: 'sig-1', actor: ADMIN }] });

    await waitForStage(handle, 'payment');
    const due = input.shares * input.pricePerShareCents;
    expect((await refusalOf(handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: due + 1, currency: 'EUR' }, idempotencyKey: 'too-much', actor: ADMIN }],
    }))).type).toBe('Overpayment');
    expect((await refusalOf(handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: 500, currency: 'SEK' }, idempotencyKey: 'sek', actor: ADMIN }],
    }))).type).toBe('InvalidEventPayload');
    await handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: 400_00, currency: 'EUR' }, idempotencyKey: 'pay-1', actor: ADMIN }],
    });
    // The same payment delivered twice counts once.
    await handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: 400_00, currency: 'EUR' }, idempotencyKey: 'pay-1', actor: ADMIN }],
    });
    await handle.executeUpdate(eventUpdate, {
      args: [{ type: 'payment.received', payload: { amountCents: due - 400_00, currency: 'EUR' }, idempotencyKey: 'pay-2', actor: ADMIN }],
    });

    const result = await handle.result();
    expect(result).toEqual({ status: 'completed', shares: { first: issuedBefore + 1, last: issuedBefore + input.shares } });

    const today = helsinkiDate(Date.now());
    const holdings = await registry.holdings(db.pool, SOCOM_BUSINESS_ID, today);
    const issued = (await registry.company(db.pool, SOCOM_BUSINESS_ID))?.sharesIssued ?? 0;
    expect(issued).toBe(issuedBefore + input.shares);
    expect(checkRegister(issued, holdings.map((h) => ({ first: h.firstNo, last: h.lastNo })))).toEqual({ ok: true });

    const notices = await db.pool.query('SELECT recipient_id FROM notifications WHERE workflow_id = $1 AND step_key = $2', [handle.workflowId, 'notified']);
    expect(new Set(notices.rows.map((r) => r.recipient_id))).toEqual(holdersBefore);

    const run = await db.pool.query('SELECT status, stage, percent FROM process_runs WHERE workflow_id = $1', [handle.workflowId]);
    expect(run.rows[0]).toEqual({ status: 'completed', stage: 'notified', percent: 100 });
    const payments = await db.pool.query(
      `SELECT count(*)::int AS n FROM process_steps WHERE workflow_id = $1 AND step_key LIKE 'event.pay-%'`, [handle.workflowId]);
    expect(payments.rows[0].n).toBe(2);
    const decision = await db.pool.query('SELECT status, decided_by, reference FROM approvals WHERE workflow_id = $1', [handle.workflowId]);
    expect(decision.rows[0]).toEqual({ status: 'approved', decided_by: 'manager:test-manager', reference: '§ 12/2023' });
    expect(await new AuditRepository().verify(db.pool)).toMatchObject({ ok: true });
  });

  test('a board rejection ends the workflow as rejected with nothing registered', async () => {
    const handle = await launch(associationApplication({ shares: 3 }));
    await waitForStage(handle, 'board');
    await handle.executeUpdate(decideUpdate, {
      args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'reject', comment: 'not now', reference: '§ 14/2023', actor: MANAGER }],
    });
    // The comment may name people: the reason cites the board's reference instead.
    expect(await handle.result()).toEqual({ status: 'rejected', reason: 'the board rejected the application (§ 14/2023)' });
    expect(await registry.stepRanges(db.pool, handle.workflowId, 'registered')).toEqual([]);
    const reservation = await db.pool.query('SELECT 1 FROM share_reservations WHERE workflow_id = $1', [handle.workflowId]);
    expect(reservation.rowCount).toBe(0);
  });

  test('a subscription not signed in time expires, with reminders sent and the reserved shares released', async () => {
    const handle = await launch(associationApplication({ deadlines: { subscription: '3 s', payment: '30 days', reminders: ['2 s', '1 s'] } }));
    await waitForStage(handle, 'board');
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: MANAGER }] });
    const result = await handle.result();
    expect(result).toEqual({ status: 'expired', reason: 'the signed subscription did not arrive before the deadline' });
    const reminders = await db.pool.query(
      `SELECT step_key FROM notifications WHERE workflow_id = $1 ORDER BY step_key`, [handle.workflowId]);
    expect(reminders.rows.map((r) => r.step_key)).toEqual(['subscription.reminder.1 s', 'subscription.reminder.2 s']);
    const reservation = await db.pool.query('SELECT status FROM share_reservations WHERE workflow_id = $1', [handle.workflowId]);
    expect(reservation.rows[0]?.status).toBe('released');
    const run = await db.pool.query('SELECT status FROM process_runs WHERE workflow_id = $1', [handle.workflowId]);
    expect(run.rows[0]?.status).toBe('expired');
  });

  test('an applicant of a kind that may not hold shares is rejected at the check', async () => {
    const input = countyApplication();
    const handle = await launch({ ...input, applicant: { ...input.applicant, kind: 'ministry' } });
    const result = await handle.result();
    expect(result.status).toBe('rejected');
    expect(result.reason).toContain('may not hold shares');
  });

  test('cancelling before registration releases the reservation; the reason and actor are recorded', async () => {
    const handle = await launch(associationApplication({ shares: 2 }));
    await waitForStage(handle, 'board');
    await handle.executeUpdate(decideUpdate, { args: [{ gate: 'board', party: SOCOM_BUSINESS_ID, decision: 'approve', actor: MANAGER }] });
    await waitForStage(handle, 'subscription');
    const view = await handle.executeUpdate(cancelUpdate, { args: [{ reason: 'applicant withdrew', actor: ADMIN }] });
    expect(view.status).toBe('cancelled');
    expect(await handle.result()).toEqual({ status: 'cancelled', reason: 'applicant withdrew' });
    const reservation = await db.pool.query('SELECT status FROM share_reservations WHERE workflow_id = $1', [handle.workflowId]);
    expect(reservation.rows[0]?.status).toBe('released');
    const audit = await db.pool.query(`SELECT actor, payload FROM audit_events WHERE workflow_id = $1 AND action = 'workflow.cancelled'`, [handle.workflowId]);
    expect(audit.rows[0]?.actor).toBe('admin:test-admin');
    expect(audit.rows[0]?.payload.details.reason).toBe('applicant withdrew');
  });
});
