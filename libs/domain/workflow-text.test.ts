import { bodyFacts, durationFacts, gateOfApprovalStep, noticeFacts, stepFacts, titleFacts, waitingFacts } from './workflow-text';

describe('the facts behind the workflows\' English texts', () => {
  test('titles by kind: the names and dates in them; another kind or another shape is not recognised', () => {
    expect(titleFacts('consolidation', 'Socca + Verso (part) → Socca from 2028-01-01')).toEqual({
      type: 'consolidation', parties: [{ label: 'Socca', part: false }, { label: 'Verso', part: true }], receiving: 'Socca', effectiveDate: '2028-01-01',
    });
    expect(titleFacts('shareholding-merger', '3 municipalities → Kotka in 9100060-3 (2027-01-01)')).toBeNull();
    expect(titleFacts('onboarding', 'Socca + Verso → Socca from 2028-01-01')).toBeNull();
  });

  test('a step is read from its key first: a reminder needs no title, an event needs its own', () => {
    expect(stepFacts('subscription.reminder.7 days', 'anything')).toEqual({ type: 'reminder', stage: 'subscription', before: '7 days' });
    expect(stepFacts('event.k-1', 'Payment received (300 of 1000 cents)')).toEqual({ type: 'paid', paidCents: 300, dueCents: 1000 });
    expect(stepFacts('event.k-1', 'Something new')).toBeNull();
    expect(stepFacts('integration.it', 'Payment received (300 of 1000 cents)')).toBeNull();
  });

  test('waiting for depends on the stage the run is in; bodies on their gate', () => {
    expect(waitingFacts('onboarding', 'payment', 'Kotkan ry: pay 1000 cents')).toEqual({ type: 'pay', who: 'Kotkan ry', cents: 1000 });
    expect(waitingFacts('onboarding', 'subscription', 'Kotkan ry: pay 1000 cents')).toBeNull();
    expect(bodyFacts('decisions/board', 'Board of Socom Oy')).toBeNull();
    expect(bodyFacts('board', 'Board of Socom Oy')).toEqual({ type: 'board', organisation: 'Socom Oy' });
  });

  test('mail: the notice, the gate of an approval step, durations', () => {
    expect(noticeFacts('notified', 'Kotkan ry holds shares 11–20 of Socom Oy.')).toEqual({ type: 'newShareholder', applicant: 'Kotkan ry', first: 11, last: 20, company: 'Socom Oy' });
    expect(noticeFacts('board.reminder.1 day', 'Kotkan ry holds shares 11–20 of Socom Oy.')).toBeNull();
    expect(gateOfApprovalStep('approval.decisions/board.9100060-3', '9100060-3')).toBe('decisions/board');
    expect(gateOfApprovalStep('approval.board.9100060-3', '2000001-1')).toBeNull();
    expect([durationFacts('28 s'), durationFacts('1 day'), durationFacts('soon')]).toEqual([{ count: 28, unit: 'second' }, { count: 1, unit: 'day' }, null]);
  });
});
