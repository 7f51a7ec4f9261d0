import type { ApprovalView, StepView, TrackRequest } from '../../domain/progress';
import type { Queryable } from '../pool';
import { OutboxWriter } from '../../notify/outbox-writer';
import { AuditRepository } from './audit.repository';

/** Writes the progress projection and its audit event; call inside one transaction. */
export class TrackingRepository {
  constructor(private readonly audit = new AuditRepository(), private readonly outbox = new OutboxWriter()) {}

  /** `occurredAt` dates the audit event when it is not now (a historical record's real decision dates). */
  async apply(tx: Queryable, req: TrackRequest, runId: string | null, occurredAt?: Date): Promise<{ written: boolean; seq?: number }> {
    const workflowId = req.run.workflowId;
    const event = await this.audit.append(tx, {
      idempotencyKey: `${workflowId}#${req.key}`,
      workflowId,
      action: req.action,
      actor: req.actor,
      // The whole snapshot goes into the chained record, so the projection can be rebuilt from the trail alone.
      payload: {
        run: req.run,
        ...(req.steps?.length ? { steps: req.steps } : {}),
        ...(req.approvals?.length ? { approvals: req.approvals } : {}),
        ...(req.details ? { details: req.details } : {}),
      },
      ...(occurredAt ? { occurredAt } : {}),
    });
    if (!event) return { written: false };
    await this.upsertRun(tx, req, runId);
    for (const step of req.steps ?? []) await this.upsertStep(tx, workflowId, step);
    for (const approval of req.approvals ?? []) await this.upsertApproval(tx, workflowId, approval);
    // The messages an opened approval sends are written with it (transactional outbox); the sender delivers them.
    if (req.approvals?.length) await this.outbox.approvalsOpened(tx, { workflowId, title: req.run.title, kind: req.run.kind }, req.approvals);
    return { written: true, seq: event.seq };
  }

  private async upsertRun(tx: Queryable, req: TrackRequest, runId: string | null): Promise<void> {
    const r = req.run;
    await tx.query(
      `INSERT INTO process_runs (workflow_id, run_id, kind, business_key, title, status, stage, percent, organisations,
                                 waiting_for, next_deadline, stages, result, failure, started_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, now())
       ON CONFLICT (workflow_id) DO UPDATE SET
         run_id = COALESCE(EXCLUDED.run_id, process_runs.run_id), title = EXCLUDED.title, status = EXCLUDED.status,
         stage = EXCLUDED.stage, percent = EXCLUDED.percent, organisations = EXCLUDED.organisations,
         waiting_for = EXCLUDED.waiting_for, next_deadline = EXCLUDED.next_deadline, stages = EXCLUDED.stages,
         result = EXCLUDED.result, failure = EXCLUDED.failure, updated_at = now()`,
      [
        r.workflowId, runId, r.kind, r.businessKey, r.title, r.status, r.stage, r.percent, r.organisations,
        r.waitingFor, r.nextDeadline, JSON.stringify(r.stages), r.result ? JSON.stringify(r.result) : null,
        r.failure ?? null, r.startedAt,
      ],
    );
  }

  private async upsertStep(tx: Queryable, workflowId: string, s: StepView): Promise<void> {
    await tx.query(
      `INSERT INTO process_steps (workflow_id, step_key, stage, title, status, started_at, finished_at, due_at, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (workflow_id, step_key) DO UPDATE SET
         status = EXCLUDED.status, title = EXCLUDED.title,
         started_at = COALESCE(process_steps.started_at, EXCLUDED.started_at),
         finished_at = EXCLUDED.finished_at, due_at = EXCLUDED.due_at, detail = EXCLUDED.detail`,
      [workflowId, s.key, s.stage, s.title, s.status, s.startedAt ?? null, s.finishedAt ?? null, s.dueAt ?? null,
        JSON.stringify(s.detail ?? {})],
    );
  }

  private async upsertApproval(tx: Queryable, workflowId: string, a: ApprovalView): Promise<void> {
    await tx.query(
      `INSERT INTO approvals (workflow_id, gate, party, body, status, due_at, decided_at, decided_by, comment, reference,
                              quorum, members, votes)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
       ON CONFLICT (workflow_id, gate, party) DO UPDATE SET
         status = EXCLUDED.status, due_at = EXCLUDED.due_at, decided_at = EXCLUDED.decided_at,
         decided_by = EXCLUDED.decided_by, comment = EXCLUDED.comment, reference = EXCLUDED.reference,
         quorum = EXCLUDED.quorum, members = EXCLUDED.members, votes = EXCLUDED.votes`,
      [workflowId, a.gate, a.party, a.body, a.status, a.dueAt, a.decidedAt ?? null, a.decidedBy ?? null,
        a.comment ?? null, a.reference ?? null, a.quorum ?? null, a.members ?? null, JSON.stringify(a.votes ?? [])],
    );
  }
}
