import type { Pool } from 'pg';
import { AuditRepository, restoredPayload } from '../../libs/db/repositories/audit.repository';
import { foldTracked, type TrackedPayload } from '../../libs/domain/projection';

/** The live projection of one workflow (run, steps, approvals) equals the fold of its audit events. */
export async function expectProjectionRebuilt(pool: Pool, workflowId: string): Promise<void> {
  const rebuilt = foldTracked((await new AuditRepository().forWorkflow(pool, workflowId)).map((e) => restoredPayload(e) as TrackedPayload));
  const run = rebuilt.run;
  if (!run) throw new Error(`no snapshot for ${workflowId}`);
  const row = (await pool.query('SELECT * FROM process_runs WHERE workflow_id = $1', [workflowId])).rows[0];
  expect({
    kind: run.kind, business_key: run.businessKey, title: run.title, status: run.status, stage: run.stage, percent: run.percent,
    organisations: run.organisations, waiting_for: run.waitingFor, next_deadline: run.nextDeadline, stages: run.stages,
    result: run.result ?? null, failure: run.failure ?? null, started_at: run.startedAt,
  }).toEqual({
    kind: row.kind, business_key: row.business_key, title: row.title, status: row.status, stage: row.stage, percent: row.percent,
    organisations: row.organisations, waiting_for: row.waiting_for, next_deadline: row.next_deadline?.toISOString() ?? null,
    stages: row.stages, result: row.result, failure: row.failure, started_at: row.started_at.toISOString(),
  });
  const steps = await pool.query('SELECT * FROM process_steps WHERE workflow_id = $1 ORDER BY step_key', [workflowId]);
  expect([...rebuilt.steps].sort((a, b) => a.key.localeCompare(b.key)).map((s) => ({
    key: s.key, stage: s.stage, title: s.title, status: s.status, startedAt: s.startedAt ?? null, finishedAt: s.finishedAt ?? null,
    dueAt: s.dueAt ?? null, detail: s.detail ?? {},
  }))).toEqual(steps.rows.map((s) => ({
    key: s.step_key, stage: s.stage, title: s.title, status: s.status, startedAt: s.started_at?.toISOString() ?? null,
    finishedAt: s.finished_at?.toISOString() ?? null, dueAt: s.due_at?.toISOString() ?? null, detail: s.detail,
  })));
  const approvals = await pool.query('SELECT * FROM approvals WHERE workflow_id = $1', [workflowId]);
  // One order for both sides (a consolidation opens its gates in an order of its own).
  const byKey = <T extends { gate: string; party: string; body: string | null }>(xs: T[]) =>
    [...xs].sort((a, b) => `${a.gate}\u0000${a.party}\u0000${a.body ?? ''}`.localeCompare(`${b.gate}\u0000${b.party}\u0000${b.body ?? ''}`));
  expect(byKey(rebuilt.approvals.map((a) => ({ ...a, body: a.body ?? null }))).map((a) => ({
    gate: a.gate, party: a.party, body: a.body, status: a.status, dueAt: a.dueAt, decidedAt: a.decidedAt ?? null,
    decidedBy: a.decidedBy ?? null, comment: a.comment ?? null, reference: a.reference ?? null,
  }))).toEqual(byKey(approvals.rows).map((a) => ({
    gate: a.gate, party: a.party, body: a.body, status: a.status, dueAt: a.due_at?.toISOString() ?? null,
    decidedAt: a.decided_at?.toISOString() ?? null, decidedBy: a.decided_by, comment: a.comment, reference: a.reference,
  })));
}
