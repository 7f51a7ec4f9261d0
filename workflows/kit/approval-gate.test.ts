import { ApplicationFailure } from '@temporalio/common';
import fc from 'fast-check';
import type { Actor } from '../../libs/domain/progress';
import { ApprovalGate, assertPolicy, type ApprovalPolicy } from './approval-gate';
import { REFUSAL } from './messages';

const BOARD = ['m1', 'm2', 'm3', 'm4', 'm5'];
const SOCOM = 'Socom';
const actor = (name: string): Actor => ({ name, role: 'manager' });
const AT = '2026-03-01T12:00:00.000Z';

function boardGate(policy: ApprovalPolicy = { quorum: 3, members: BOARD }): ApprovalGate {
  const gate = new ApprovalGate('board', [{ party: SOCOM, body: 'Board of Socom', policy }]);
  gate.openUntil(null);
  return gate;
}

function vote(gate: ApprovalGate, decidedBy: string | null, decision: 'approve' | 'reject' = 'approve', onBehalfOf: string | null = null) {
  return gate.decide({ gate: 'board', party: SOCOM, decision, decidedBy, onBehalfOf }, actor(decidedBy ?? 'shared'), AT);
}

function refusalOf(f: () => unknown): string | undefined {
  try {
    f();
  } catch (err) {
    if (err instanceof ApplicationFailure) return err.type ?? undefined;
    throw err;
  }
  return undefined;
}

describe('ApprovalGate with members and a quorum', () => {
  test('3 of 5: pending until the third approval, which settles it and names its decider', () => {
    const gate = boardGate();
    expect(vote(gate, 'm1').status).toBe('pending');
    expect(vote(gate, 'm2', 'reject').status).toBe('pending');
    expect(vote(gate, 'm3').status).toBe('pending');
    const last = vote(gate, 'm4');
    expect(last).toEqual(expect.objectContaining({ status: 'approved', decidedBy: 'manager:m4', quorum: 3 }));
    expect(last.votes?.map((v) => v.member)).toEqual(['m1', 'm2', 'm3', 'm4']);
    expect(gate.settled).toBe(true);
    expect(gate.isOpen).toBe(false);
  });

  test('rejected as soon as the quorum is out of reach', () => {
    const gate = boardGate();
    vote(gate, 'm1', 'reject');
    vote(gate, 'm2', 'reject');
    expect(vote(gate, 'm3', 'reject').status).toBe('rejected');
    expect(gate.rejected?.decidedBy).toBe('manager:m3');
  });

  test('refuses a non-member, a token of no person, the same member twice and a substitute who has voted already', () => {
    const gate = boardGate({ quorum: 5, members: BOARD });
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve', decidedBy: 'outsider' }))).toBe(REFUSAL.notMember);
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve' }))).toBe(REFUSAL.notMember);
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve', decidedBy: 'm9', onBehalfOf: 'outsider' }))).toBe(REFUSAL.notMember);
    vote(gate, 'm1');
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'reject', decidedBy: 'm1' }))).toBe(REFUSAL.alreadyDecided);
    // A substitute for m5 (not a member themselves) votes once; then neither m5 nor the substitute again.
    const forFive = vote(gate, 'deputy', 'approve', 'm5');
    expect(forFive.votes?.[1]).toEqual(expect.objectContaining({ member: 'm5', by: 'deputy' }));
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve', decidedBy: 'm5' }))).toBe(REFUSAL.alreadyDecided);
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve', decidedBy: 'deputy', onBehalfOf: 'm4' }))).toBe(REFUSAL.alreadyDecided);
    // A member who substituted may not also vote for themselves (one person acts once).
    vote(gate, 'm2', 'approve', 'm3');
    expect(refusalOf(() => gate.check({ gate: 'board', party: SOCOM, decision: 'approve', decidedBy: 'm2' }))).toBe(REFUSAL.alreadyDecided);
  });

  test('the settled decision by a substitute is labelled "B for A"', () => {
    const gate = boardGate({ quorum: 1, members: BOARD });
    expect(vote(gate, 'deputy', 'approve', 'm5').decidedBy).toBe('manager:deputy for m5');
  });

  test('a gate without a policy decides as before: any decider, one decision settles', () => {
    const gate = new ApprovalGate('board', [{ party: SOCOM, body: 'Board of Socom' }]);
    gate.openUntil(null);
    const settled = gate.decide({ gate: 'board', party: SOCOM, decision: 'approve' }, actor('shared'), AT);
    expect(settled).toEqual({ gate: 'board', party: SOCOM, body: 'Board of Socom', status: 'approved', dueAt: null, decidedAt: AT, decidedBy: 'manager:shared', comment: null, reference: null });
  });

  test('a policy the body cannot meet is refused', () => {
    expect(() => assertPolicy({ quorum: 6, members: BOARD }, 'board')).toThrow(/quorum of 6/);
    expect(() => assertPolicy({ quorum: 1, members: [] }, 'board')).toThrow(/no members/);
    expect(() => assertPolicy({ quorum: 1, members: ['m1', 'm1'] }, 'board')).toThrow(/twice/);
  });

  test('property: the outcome is approved exactly when at least quorum members approve, whatever the order', () => {
    fc.assert(fc.property(
      fc.integer({ min: 1, max: 5 }),
      fc.shuffledSubarray(BOARD, { minLength: 0, maxLength: 5 }).chain((voters) =>
        fc.tuple(fc.constant(voters), fc.array(fc.boolean(), { minLength: voters.length, maxLength: voters.length }))),
      (quorum, [voters, approves]) => {
        const gate = boardGate({ quorum, members: BOARD });
        let status = 'pending';
        voters.forEach((m, i) => {
          if (status === 'pending') status = vote(gate, m, approves[i] ? 'approve' : 'reject').status;
        });
        const yes = voters.filter((_, i) => approves[i]).length;
        const no = voters.length - yes;
        if (status === 'approved') expect(yes).toBeGreaterThanOrEqual(quorum);
        if (status === 'rejected') expect(no).toBeGreaterThan(BOARD.length - quorum);
        if (status === 'pending') {
          expect(yes).toBeLessThan(quorum);
          expect(no).toBeLessThanOrEqual(BOARD.length - quorum);
        }
      },
    ));
  });
});
