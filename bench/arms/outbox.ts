/**
 * The outbox arm: mail delivery to a local SMTP server (MailDev), the cost the outbox adds to a tracked step,
 * and the time from a workflow's deadline timer firing to its reminder being accepted by SMTP.
 */
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { randomUUID } from 'node:crypto';
import { createFuusioWorker } from '../../apps/worker/create-worker';
import { startMailDev } from '../../infra/dev/maildev';
import { SOCOM_BUSINESS_ID } from '../../infra/seed/demo-data';
import { seedDemoPeople } from '../../infra/seed/demo-people';
import { createPool, withTransaction } from '../../libs/db/pool';
import { OutboxRepository, type OutboxInsert } from '../../libs/db/repositories/outbox.repository';
import { TrackingRepository } from '../../libs/db/repositories/tracking.repository';
import { AuditRepository } from '../../libs/db/repositories/audit.repository';
import type { TrackRequest } from '../../libs/domain/progress';
import { onboardingInputSchema } from '../../libs/domain/schemas';
import { OutboxSender } from '../../libs/notify/outbox-sender';
import { OutboxWriter } from '../../libs/notify/outbox-writer';
import { benchBusinessId } from '../support';

export type OutboxSizes = { outboxMessages: number; trackWrites: number; deadlines: number; repetitions: number };

export type OutboxResult = {
  /** Messages per second from the outbox to MailDev, per repetition. */
  deliveryPerSecond: number[];
  /** Per repetition: ms per tracked step with the outbox ÷ ms per tracked step without it. */
  trackingRatio: number[];
  trackingMs: { withOutbox: number[]; without: number[] };
  /** The reminder's timer due (started + its timeout, from the history) → MailDev received the mail, ms. */
  deadlineToSmtpMs: number[];
};

const BOARD = ['socom-board-1', 'socom-board-2', 'socom-board-3', 'socom-board-4', 'socom-board-5'];

/** Baseline for the tracking write: the same transaction with an outbox writer that writes nothing. */
class NoOutbox extends OutboxWriter {
  override async approvalsOpened(): Promise<number> {
    return 0;
  }
}

/** A tracking write that opens the board's approval for its five named members (five outbox rows). */
function opening(workflowId: string): TrackRequest & { approvals: Array<{ members: string[] }> } {
  return {
    key: 'stage.board.enter', action: 'stage.entered', actor: 'system',
    run: {
      workflowId, kind: 'onboarding', businessKey: workflowId, title: `Bench ${workflowId}`, status: 'running', stage: 'board',
      percent: 20, organisations: [SOCOM_BUSINESS_ID], waitingFor: [], nextDeadline: null, stages: [], startedAt: new Date().toISOString(),
    },
    approvals: [{ gate: 'board', party: SOCOM_BUSINESS_ID, body: 'Board of Socom', status: 'pending', dueAt: null, members: BOARD }],
  };
}

type Caught = { time: string; headers: Record<string, string> };

export async function runOutbox(o: {
  dbUrl: string; address: string; namespace: string; bundleCode: string; sizes: OutboxSizes; progress: (line: string) => void;
}): Promise<OutboxResult> {
  const pool = createPool(o.dbUrl, 8);
  const mail = await startMailDev();
  const result: OutboxResult = { deliveryPerSecond: [], trackingRatio: [], trackingMs: { withOutbox: [], without: [] }, deadlineToSmtpMs: [] };
  const closers: Array<() => Promise<unknown>> = [() => pool.end(), () => mail.stop()];
  try {
    await seedDemoPeople(pool);
    const outbox = new OutboxRepository();
    const sender = new OutboxSender({ pool, smtpUrl: mail.smtpUrl, publicUrl: 'http://fuusio.bench', batchSize: 50 });
    closers.unshift(() => sender.stop());

    for (let rep = 1; rep <= o.sizes.repetitions; rep++) {
      // Delivery: N e-mails queued at once, drained by one sender.
      o.progress(`outbox rep ${rep}/${o.sizes.repetitions}: delivering ${o.sizes.outboxMessages} e-mails to MailDev`);
      const workflowId = `bench-outbox-${rep}-${randomUUID().slice(0, 8)}`;
      const rows: OutboxInsert[] = Array.from({ length: o.sizes.outboxMessages }, (_, i) => {
        const person = BOARD[i % BOARD.length] as string;
        const stepKey = `bench.${i}`;
        return {
          idempotencyKey: `${workflowId}:${stepKey}:${person}:email`, workflowId, stepKey, channel: 'email', recipient: person, language: 'en',
          template: 'approval.opened', params: { title: 'Bench', workflowId, stepKey, gate: 'Board of Socom', party: SOCOM_BUSINESS_ID, dueAt: null },
        };
      });
      await withTransaction(pool, (tx) => outbox.enqueue(tx, rows));
      const t0 = performance.now();
      let sent = 0;
      while (sent < rows.length) {
        const n = await sender.runOnce();
        if (n === 0) break;
        sent += n;
      }
      const seconds = (performance.now() - t0) / 1000;
      const delivered = await pool.query(`SELECT count(*)::int AS n FROM outbox WHERE workflow_id = $1 AND status = 'sent'`, [workflowId]);
      if (delivered.rows[0].n !== rows.length) throw new Error(`outbox: ${delivered.rows[0].n} of ${rows.length} e-mails delivered`);
      result.deliveryPerSecond.push(rows.length / seconds);

      // Tracking write with the outbox vs the same write without it, in alternating order.
      const timed = async (repo: TrackingRepository, label: string) => {
        const t = performance.now();
        for (let i = 0; i < o.sizes.trackWrites; i++) {
          await withTransaction(pool, (tx) => repo.apply(tx, opening(`bench-track-${label}-${rep}-${i}-${randomUUID().slice(0, 8)}`), null));
        }
        return (performance.now() - t) / o.sizes.trackWrites;
      };
      const withRepo = new TrackingRepository(new AuditRepository(), new OutboxWriter());
      const withoutRepo = new TrackingRepository(new AuditRepository(), new NoOutbox());
      o.progress(`outbox rep ${rep}/${o.sizes.repetitions}: ${o.sizes.trackWrites} tracked steps with and without the outbox`);
      const first = rep % 2 ? 'with' : 'without';
      const a = await timed(first === 'with' ? withRepo : withoutRepo, first);
      const b = await timed(first === 'with' ? withoutRepo : withRepo, first === 'with' ? 'without' : 'with');
      const [withMs, withoutMs] = first === 'with' ? [a, b] : [b, a];
      result.trackingMs.withOutbox.push(withMs);
      result.trackingMs.without.push(withoutMs);
      result.trackingRatio.push(withMs / withoutMs);
      // The tracked steps' own mails are not part of what is measured next.
      await pool.query(`DELETE FROM outbox WHERE workflow_id LIKE 'bench-track-%' AND status = 'pending'`);
    }

    // Deadline → SMTP: onboardings whose board deadline carries a reminder; the worker's sender polls as in production.
    o.progress(`outbox: ${o.sizes.deadlines} board reminders from a deadline timer to MailDev`);
    const connection = await Connection.connect({ address: o.address });
    closers.unshift(() => connection.close());
    const client = new TemporalClient({ connection, namespace: o.namespace });
    const taskQueue = `bench-outbox-${randomUUID().slice(0, 8)}`;
    const native = await NativeConnection.connect({ address: o.address });
    const worker = await createFuusioWorker({ connection: native, namespace: o.namespace, taskQueue, pool, workflowBundle: { code: o.bundleCode } });
    const running = worker.run();
    closers.unshift(async () => {
      worker.shutdown();
      await running.catch(() => undefined);
      await native.close();
    });
    sender.start(50);
    const ids = await Promise.all(Array.from({ length: o.sizes.deadlines }, async (_, n) => {
      const input = onboardingInputSchema.parse({
        company: SOCOM_BUSINESS_ID,
        applicant: { name: `Bench muistutus ${n}`, businessId: benchBusinessId(8, n), kind: 'association' },
        shares: 1, pricePerShareCents: 100_00,
        board: { quorum: 1, members: ['socom-board-1'] },
        deadlines: { boardDecision: '4 s', reminders: ['2 s'] },
      });
      const workflowId = `bench-deadline-${n}-${randomUUID().slice(0, 8)}`;
      await client.workflow.start('onboardShareholder', { taskQueue, workflowId, args: [input] });
      return workflowId;
    }));
    const reminderOf = (id: string) => `${id}:board.reminder.2 s:`;
    const deadline = Date.now() + 60_000;
    let caught: Caught[] = [];
    for (;;) {
      caught = (await (await fetch(`${mail.webUrl}api/email`)).json()) as Caught[];
      const arrived = ids.filter((id) => caught.some((m) => (m.headers['x-fuusio-delivery'] ?? '').startsWith(reminderOf(id))));
      if (arrived.length === ids.length) break;
      if (Date.now() > deadline) throw new Error(`only ${arrived.length} of ${ids.length} reminders reached MailDev`);
      await new Promise((r) => setTimeout(r, 100));
    }
    for (const id of ids) {
      const history = await client.workflow.getHandle(id).fetchHistory();
      // The run's first timer is the board stage's wait for the reminder: it is due when it was started plus
      // its timeout. (A TimerFired event's own time can be later than the firing: it is stamped when written.)
      const started = history.events?.find((e) => e.timerStartedEventAttributes);
      const ms = (t: { seconds?: unknown; nanos?: number | null } | null | undefined) => (t ? Number(t.seconds ?? 0) * 1000 + Math.floor((t.nanos ?? 0) / 1e6) : NaN);
      const firedMs = ms(started?.eventTime) + ms(started?.timerStartedEventAttributes?.startToFireTimeout);
      const got = caught.find((m) => (m.headers['x-fuusio-delivery'] ?? '').startsWith(reminderOf(id)));
      result.deadlineToSmtpMs.push(got ? Date.parse(got.time) - firedMs : NaN);
    }
    o.progress(`outbox: deadline → SMTP lags ${result.deadlineToSmtpMs.map((x) => x.toFixed(0)).join(', ')} ms\n`);
    await Promise.all(ids.map((id) => client.workflow.getHandle(id).terminate('bench over').catch(() => undefined)));
    return result;
  } finally {
    for (const close of closers) await close().catch(() => undefined);
  }
}
