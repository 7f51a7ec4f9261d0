import { describe, expect, it } from '@jest/globals';
import type { Detail } from './api';
import { ticks, timelineOf } from './timeline';

const H = 60 * 60 * 1000;
const T0 = Date.parse('2026-03-02T08:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

function detail(stages: Detail['stages']): Detail {
  return {
    workflowId: 'onboarding:x', kind: 'onboarding', title: 'X joins Socom', status: 'running', stage: 'board', percent: 20,
    startedAt: iso(T0), updatedAt: iso(T0), nextDeadline: null, waitingFor: [], organisations: [], businessKey: 'onboarding:x',
    runId: null, stages, steps: [], approvals: [], pendingApprovals: [], result: null, failure: null,
  };
}

describe('timelineOf', () => {
  const d = detail([
    { key: 'checked', title: 'Applicant checked', status: 'done', startedAt: iso(T0), finishedAt: iso(T0 + H) },
    { key: 'board', title: 'Board decision', status: 'running', startedAt: iso(T0 + H), finishedAt: null, plannedAt: iso(T0 + 48 * H) },
    { key: 'subscription', title: 'Subscription signed', status: 'pending', startedAt: null, finishedAt: null, plannedAt: iso(T0 + 96 * H) },
    { key: 'payment', title: 'Payment received', status: 'pending', startedAt: null, finishedAt: null },
  ]);
  const now = T0 + 72 * H;
  const t = timelineOf([d], now);
  const [checked, board, subscription, payment] = t.groups[0]?.rows ?? [];

  it('draws what happened as actual spans; a running stage reaches now', () => {
    expect(checked?.actual).toEqual({ from: T0, to: T0 + H });
    expect(checked?.planned).toBeNull();
    expect(board?.actual).toEqual({ from: T0 + H, to: now });
  });

  it('plans a stage from its start to its deadline, and one not begun from the previous planned end', () => {
    expect(board?.planned).toEqual({ from: T0 + H, to: T0 + 48 * H });
    expect(subscription?.planned).toEqual({ from: T0 + 48 * H, to: T0 + 96 * H });
    expect(subscription?.actual).toBeNull();
    expect([payment?.planned, payment?.actual]).toEqual([null, null]);
  });

  it('spans every time and today with room on both sides; ticks cover the axis', () => {
    expect(t.from).toBeLessThan(T0);
    expect(t.to).toBeGreaterThan(T0 + 96 * H);
    expect(t.now).toBe(now);
    const marks = ticks(t, 5);
    expect([marks.length, marks[0], marks[4]]).toEqual([5, t.from, t.to]);
  });

  it('an empty selection still has an axis around today', () => {
    const empty = timelineOf([], now);
    expect(empty.groups).toEqual([]);
    expect(empty.from).toBeLessThan(now);
    expect(empty.to).toBeGreaterThan(now);
  });
});
