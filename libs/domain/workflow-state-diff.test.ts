import type { ApprovalView, ProgressSnapshot } from './progress';
import { foldTracked } from './projection';
import { workflowChanges, type CauseEvent, type WorkflowStateView } from './workflow-state-diff';

const run = (stage: string, status: ProgressSnapshot['status'] = 'running'): ProgressSnapshot => ({
  workflowId: 'wf', kind: 'onboarding', businessKey: 'k', title: 'T', status, stage, percent: 50, organisations: ['o'],
  waitingFor: [], nextDeadline: null, stages: [], startedAt: '2025-01-01T00:00:00.000Z',
});
const board = (status: ApprovalView['status']): ApprovalView => ({
  gate: 'board', party: 'o', body: 'Board', status, dueAt: null, ...(status === 'approved' ? { decidedAt: '2025-01-02T10:00:00.000Z', reference: '§ 1' } : {}),
});
const event = (seq: number, action: string, payload: CauseEvent['payload']): CauseEvent => ({
  seq, action, actor: 'system', occurredAt: `2025-01-0${seq}T10:00:00.000Z`, payload,
});
const stateOf = (events: CauseEvent[]): WorkflowStateView => {
  const f = foldTracked(events.map((e) => e.payload));
  return { ...f.run!, steps: f.steps, approvals: f.approvals, registry: [] };
};

describe('workflowChanges', () => {
  const opened = event(1, 'approval.opened', { run: run('board'), approvals: [board('pending')] });
  const decided = event(2, 'approval.decided', { run: run('board'), approvals: [board('approved')] });
  const moved = event(3, 'stage.entered', { run: run('subscription') });

  it('puts each change down to the last event that made it, and names the decision behind an approval', () => {
    const changes = workflowChanges(stateOf([opened]), stateOf([opened, decided, moved]), [opened], [decided, moved]);
    expect(changes.map((c) => [c.section, c.key, c.cause?.seq])).toEqual([['approvals', 'board/o', 2], ['run', 'run', 3]]);
    expect(changes[0]!.decision).toMatchObject({ gate: 'board', status: 'approved', reference: '§ 1' });
    expect(changes[1]).toMatchObject({ op: 'changed', fields: [{ field: 'stage', before: 'board', after: 'subscription' }], decision: null });
  });

  it('before the workflow started everything is added; between a moment and itself nothing changed', () => {
    const all = workflowChanges(null, stateOf([opened]), [], [opened]);
    expect(all.map((c) => [c.op, c.section, c.cause?.action])).toEqual([['added', 'approvals', 'approval.opened'], ['added', 'run', 'approval.opened']]);
    expect(workflowChanges(stateOf([opened]), stateOf([opened]), [opened], [])).toEqual([]);
  });
});
