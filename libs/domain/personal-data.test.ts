import { restorePersonal, separatePersonal } from './personal-data';

describe('separatePersonal', () => {
  const payload = {
    run: { workflowId: 'onboarding:x', stage: 'board', result: { reason: 'board said no' } },
    approvals: [
      { gate: 'board', party: '9100060-3', status: 'approved', comment: 'Matti Meikäläinen presented the case' },
      { gate: 'board', party: '9500010-9', status: 'pending', comment: null },
    ],
    steps: [{ key: 'task.website', detail: { note: 'call Maija on Monday', done: true } }],
    details: { decision: { comment: 'ok', reference: 'HAL 14/2022' } },
  };

  test('lifts every personal field out, by its path, and leaves the rest as it was', () => {
    const { chained, personal } = separatePersonal(payload);
    expect(personal).toEqual({
      'approvals.0.comment': 'Matti Meikäläinen presented the case',
      'steps.0.detail.note': 'call Maija on Monday',
      'details.decision.comment': 'ok',
    });
    expect(JSON.stringify(chained)).not.toMatch(/Matti|Maija/);
    expect(chained).toEqual({
      run: payload.run,
      approvals: [
        { gate: 'board', party: '9100060-3', status: 'approved' },
        { gate: 'board', party: '9500010-9', status: 'pending', comment: null },
      ],
      steps: [{ key: 'task.website', detail: { done: true } }],
      details: { decision: { reference: 'HAL 14/2022' } },
    });
  });

  test('a payload without personal fields is chained whole', () => {
    const plain = { run: { stage: 'checked' }, steps: [{ key: 'a', detail: { shares: 12 } }] };
    expect(separatePersonal(plain)).toEqual({ chained: plain, personal: {} });
  });

  test('restoring gives back the original payload, and does not change the chained copy', () => {
    const { chained, personal } = separatePersonal(payload);
    const before = JSON.stringify(chained);
    const restored = restorePersonal(chained, personal);
    expect(restored).toEqual(payload);
    expect(JSON.stringify(chained)).toBe(before);
  });

  test('after an erasure (no personal values) the chained payload is what remains', () => {
    const { chained } = separatePersonal(payload);
    expect(restorePersonal(chained, null)).toBe(chained);
  });

  test('a path that no longer fits the payload is skipped rather than inventing structure', () => {
    expect(restorePersonal({ steps: [] }, { 'steps.3.detail.note': 'x', 'run.comment': 'y' })).toEqual({ steps: [] });
  });
});
