import { foldTracked, type TrackedPayload } from './projection';
import type { ProgressSnapshot } from './progress';

const run = (stage: string, percent: number): ProgressSnapshot => ({
  workflowId: 'w', kind: 'onboarding', businessKey: 'k', title: 't', status: 'running', stage, percent,
  organisations: [], waitingFor: [], nextDeadline: null, stages: [], startedAt: '2026-01-01T00:00:00.000Z',
});

describe('foldTracked', () => {
  test('the last snapshot wins; steps and approvals keep their latest state', () => {
    const payloads: TrackedPayload[] = [
      { run: run('checked', 0) },
      { run: run('board', 16), approvals: [{ gate: 'board', party: 'p', body: 'b', status: 'pending', dueAt: null }] },
      { run: run('board', 16), approvals: [{ gate: 'board', party: 'p', body: 'b', status: 'approved', dueAt: null, decidedBy: 'manager:m' }] },
      { run: run('subscription', 33), steps: [{ key: 's1', stage: 'subscription', title: 'x', status: 'running', startedAt: '2026-01-02T00:00:00.000Z' }] },
      { run: run('subscription', 33), steps: [{ key: 's1', stage: 'subscription', title: 'x', status: 'done', startedAt: null, finishedAt: '2026-01-03T00:00:00.000Z' }] },
    ];
    const state = foldTracked(payloads);
    expect(state.run?.stage).toBe('subscription');
    expect(state.approvals).toEqual([expect.objectContaining({ status: 'approved', decidedBy: 'manager:m' })]);
    expect(state.steps).toEqual([expect.objectContaining({ key: 's1', status: 'done', startedAt: '2026-01-02T00:00:00.000Z' })]);
  });

  test('a prefix of the trail gives the state as it was then', () => {
    const state = foldTracked([{ run: run('checked', 0) }, { run: run('board', 16) }].slice(0, 1));
    expect(state.run?.stage).toBe('checked');
    expect(foldTracked([])).toEqual({ run: null, steps: [], approvals: [] });
  });
});
