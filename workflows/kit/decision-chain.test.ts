import { ApplicationFailure } from '@temporalio/common';
import type { Actor } from '../../libs/domain/progress';
import { ALL_OTHER_PARTIES, CHAIN_REFUSAL, DecisionChainGate, type ChainDecision, type ChainParty } from './decision-chain';
import { REFUSAL } from './messages';

// Uusimaa 2023 (DOMAIN.md): the Itä-Uusimaa part of Verso moved to Socca (hosted with HUS) from
// 2023-01-01. Verso's chain: its board 2022-10-14, the joint municipal authority's board 2022-11-08,
// its council 2022-11-30; finally the HUS board 2022-12-14. Socca's and Sosiaalitaito's single
// bodies and their dates are illustrative (DOMAIN.md does not give them).
const GATE = 'decisions';
const uusimaaParties = (): ChainParty[] => [
  {
    party: 'Verso',
    bodies: [
      { key: 'verso-board', body: 'Verso board' },
      { key: 'joint-authority-board', body: 'Joint municipal authority board' },
      { key: 'joint-authority-council', body: 'Joint municipal authority council' },
    ],
  },
  { party: 'Socca', bodies: [{ key: 'socca-steering-group', body: 'Socca steering group' }] },
  { party: 'Sosiaalitaito', bodies: [{ key: 'sosiaalitaito-board', body: 'Sosiaalitaito board' }] },
  { party: 'HUS', bodies: [{ key: 'hus-board', body: 'HUS board' }], after: ALL_OTHER_PARTIES },
];

const clerk: Actor = { name: 'kirjaamo', role: 'manager' };
const at = (date: string) => `${date}T12:00:00.000Z`;

function decision(party: string, body: string, decision: 'approve' | 'reject' = 'approve', extra: Partial<ChainDecision> = {}): ChainDecision {
  return { gate: GATE, party, body, decision, ...extra };
}

function openGate(): DecisionChainGate {
  const gate = new DecisionChainGate(GATE, uusimaaParties());
  gate.openUntil(at('2022-12-31'));
  return gate;
}

/** The ApplicationFailure that `fn` throws (fails the test if it throws something else or nothing). */
function refusal(fn: () => unknown): ApplicationFailure {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ApplicationFailure);
    return e as ApplicationFailure;
  }
  throw new Error('expected a refusal, but the call went through');
}

function statuses(gate: DecisionChainGate): Record<string, string> {
  return Object.fromEntries(gate.views().map((v) => [`${v.party}/${v.bodyKey}`, v.status]));
}

describe('DecisionChainGate: the Uusimaa 2023 chain', () => {
  it('accepts the real chain in order and settles approved after the HUS board', () => {
    const gate = openGate();
    expect(gate.nextDue()).toEqual([
      { party: 'Verso', status: 'pending', next: { key: 'verso-board', body: 'Verso board' }, waitingFor: [] },
      { party: 'Socca', status: 'pending', next: { key: 'socca-steering-group', body: 'Socca steering group' }, waitingFor: [] },
      { party: 'Sosiaalitaito', status: 'pending', next: { key: 'sosiaalitaito-board', body: 'Sosiaalitaito board' }, waitingFor: [] },
      { party: 'HUS', status: 'pending', next: { key: 'hus-board', body: 'HUS board' }, waitingFor: ['Verso', 'Socca', 'Sosiaalitaito'] },
    ]);
    expect(gate.pendingBodies).toEqual(['Verso board', 'Socca steering group', 'Sosiaalitaito board']);

    const row = gate.decide(decision('Verso', 'verso-board', 'approve', { reference: '§ 41' }), clerk, at('2022-10-14'));
    expect(row).toEqual({
      gate: GATE, party: 'Verso', body: 'Verso board', bodyKey: 'verso-board', order: 1, status: 'approved',
      dueAt: at('2022-12-31'), decidedAt: at('2022-10-14'), decidedBy: 'manager:kirjaamo', comment: null, reference: '§ 41', due: false,
    });
    expect(gate.nextDue()[0]).toEqual({ party: 'Verso', status: 'pending', next: { key: 'joint-authority-board', body: 'Joint municipal authority board' }, waitingFor: [] });
    expect(gate.views().filter((v) => v.due).map((v) => v.bodyKey)).toEqual(['joint-authority-board', 'socca-steering-group', 'sosiaalitaito-board']);

    gate.decide(decision('Verso', 'joint-authority-board'), clerk, at('2022-11-08'));
    gate.decide(decision('Socca', 'socca-steering-group'), clerk, at('2022-11-15'));
    gate.decide(decision('Sosiaalitaito', 'sosiaalitaito-board'), clerk, at('2022-11-16'));
    gate.decide(decision('Verso', 'joint-authority-council'), clerk, at('2022-11-30'));
    expect(gate.settled).toBe(false);
    expect(gate.nextDue().map((n) => n.status)).toEqual(['approved', 'approved', 'approved', 'pending']);
    expect(gate.nextDue()[3]?.waitingFor).toEqual([]);
    expect(gate.pendingBodies).toEqual(['HUS board']);

    gate.decide(decision('HUS', 'hus-board'), clerk, at('2022-12-14'));
    expect(gate.settled).toBe(true);
    expect(gate.approved).toBe(true);
    expect(gate.rejected).toBeUndefined();
    expect(gate.isOpen).toBe(false);
    expect(gate.pendingBodies).toEqual([]);
    expect(gate.views().map((v) => [v.party, v.order, v.status, v.decidedAt])).toEqual([
      ['Verso', 1, 'approved', at('2022-10-14')],
      ['Verso', 2, 'approved', at('2022-11-08')],
      ['Verso', 3, 'approved', at('2022-11-30')],
      ['Socca', 1, 'approved', at('2022-11-15')],
      ['Sosiaalitaito', 1, 'approved', at('2022-11-16')],
      ['HUS', 1, 'approved', at('2022-12-14')],
    ]);
    expect(gate.nextDue().every((n) => n.next === null && n.status === 'approved')).toBe(true);
  });

  it('refuses a body that decides before the bodies before it (DecisionOutOfOrder)', () => {
    const gate = openGate();
    const early = refusal(() => gate.check(decision('Verso', 'joint-authority-board')));
    expect(early.type).toBe(CHAIN_REFUSAL.outOfOrder);
    expect(early.type).toBe('DecisionOutOfOrder');
    expect(early.nonRetryable).toBe(true);
    expect(early.message).toBe('Joint municipal authority board of Verso decides after Verso board, which has not approved yet');

    const council = refusal(() => gate.decide(decision('Verso', 'joint-authority-council'), clerk, at('2022-10-01')));
    expect(council.type).toBe(CHAIN_REFUSAL.outOfOrder);
    expect(council.message).toContain('Verso board, Joint municipal authority board, which have not approved yet');
    // a refused decision changes nothing
    expect(Object.values(statuses(gate)).every((s) => s === 'pending')).toBe(true);

    gate.decide(decision('Verso', 'verso-board'), clerk, at('2022-10-14'));
    const stillEarly = refusal(() => gate.check(decision('Verso', 'joint-authority-council')));
    expect(stillEarly.type).toBe(CHAIN_REFUSAL.outOfOrder);
    expect(stillEarly.message).toContain('after Joint municipal authority board,');
    expect(() => gate.check(decision('Verso', 'joint-authority-board'))).not.toThrow();
  });

  it('refuses the final HUS board until every other party’s chain is approved', () => {
    const gate = openGate();
    const first = refusal(() => gate.check(decision('HUS', 'hus-board')));
    expect(first.type).toBe(CHAIN_REFUSAL.outOfOrder);
    expect(first.message).toBe('HUS board of HUS decides only after every body of Verso, Socca, Sosiaalitaito has approved');

    gate.decide(decision('Socca', 'socca-steering-group'), clerk, at('2022-11-15'));
    gate.decide(decision('Sosiaalitaito', 'sosiaalitaito-board'), clerk, at('2022-11-16'));
    gate.decide(decision('Verso', 'verso-board'), clerk, at('2022-10-14'));
    gate.decide(decision('Verso', 'joint-authority-board'), clerk, at('2022-11-08'));
    // Verso's council has not decided: Verso's chain is not through yet
    const partly = refusal(() => gate.decide(decision('HUS', 'hus-board'), clerk, at('2022-11-20')));
    expect(partly.type).toBe(CHAIN_REFUSAL.outOfOrder);
    expect(partly.message).toBe('HUS board of HUS decides only after every body of Verso has approved');
    expect(gate.nextDue()[3]?.waitingFor).toEqual(['Verso']);
    expect(gate.views().find((v) => v.party === 'HUS')?.due).toBe(false);

    gate.decide(decision('Verso', 'joint-authority-council'), clerk, at('2022-11-30'));
    expect(gate.views().find((v) => v.party === 'HUS')?.due).toBe(true);
    expect(gate.decide(decision('HUS', 'hus-board'), clerk, at('2022-12-14')).status).toBe('approved');
    expect(gate.approved).toBe(true);
  });

  it('refuses an unknown party, a body outside the party’s chain and another gate (NotInGate)', () => {
    const gate = openGate();
    const party = refusal(() => gate.check(decision('FSKC', 'fskc-board')));
    expect(party.type).toBe(REFUSAL.notInGate);
    expect(party.message).toBe('FSKC is not a party of gate "decisions" (parties: Verso, Socca, Sosiaalitaito, HUS)');

    const body = refusal(() => gate.check(decision('Verso', 'hus-board')));
    expect(body.type).toBe(REFUSAL.notInGate);
    expect(body.message).toBe(
      '"hus-board" does not decide for Verso in gate "decisions" (its chain: verso-board → joint-authority-board → joint-authority-council)',
    );
    // the display name is not the key
    expect(refusal(() => gate.check(decision('Verso', 'Verso board'))).type).toBe(REFUSAL.notInGate);

    const otherGate = refusal(() => gate.check({ ...decision('Verso', 'verso-board'), gate: 'feasibility' }));
    expect(otherGate.type).toBe(REFUSAL.notInGate);
    expect(otherGate.message).toBe('there is no gate "feasibility" here (open gate: decisions)');
  });

  it('a rejection anywhere in a chain settles the whole gate as rejected', () => {
    const gate = openGate();
    gate.decide(decision('Verso', 'verso-board'), clerk, at('2022-10-14'));
    gate.decide(decision('Verso', 'joint-authority-board'), clerk, at('2022-11-08'));
    gate.decide(decision('Socca', 'socca-steering-group'), clerk, at('2022-11-15'));
    const row = gate.decide(decision('Verso', 'joint-authority-council', 'reject', { comment: 'not this year' }), clerk, at('2022-11-30'));
    expect(row).toMatchObject({ party: 'Verso', bodyKey: 'joint-authority-council', status: 'rejected', comment: 'not this year', due: false });

    expect(gate.settled).toBe(true);
    expect(gate.approved).toBe(false);
    expect(gate.isOpen).toBe(false);
    expect(gate.rejected).toMatchObject({ party: 'Verso', body: 'Joint municipal authority council', decidedAt: at('2022-11-30') });
    expect(statuses(gate)).toEqual({
      'Verso/verso-board': 'approved',
      'Verso/joint-authority-board': 'approved',
      'Verso/joint-authority-council': 'rejected',
      'Socca/socca-steering-group': 'approved',
      'Sosiaalitaito/sosiaalitaito-board': 'pending',
      'HUS/hus-board': 'pending',
    });
    expect(gate.views().some((v) => v.due)).toBe(false);
    expect(gate.pendingBodies).toEqual([]);
    expect(gate.nextDue().map((n) => n.status)).toEqual(['rejected', 'approved', 'pending', 'pending']);

    const late = refusal(() => gate.check(decision('Sosiaalitaito', 'sosiaalitaito-board')));
    expect(late.type).toBe(REFUSAL.gateClosed);
    expect(late.message).toBe('gate "decisions" is closed (rejected by Joint municipal authority council of Verso)');
    expect(refusal(() => gate.check(decision('HUS', 'hus-board'))).type).toBe(REFUSAL.gateClosed);
  });

  it('a rejection by a single-body party settles the gate too', () => {
    const gate = openGate();
    gate.decide(decision('Sosiaalitaito', 'sosiaalitaito-board', 'reject'), clerk, at('2022-11-16'));
    expect(gate.settled).toBe(true);
    expect(gate.rejected?.party).toBe('Sosiaalitaito');
    expect(refusal(() => gate.check(decision('Verso', 'verso-board'))).type).toBe(REFUSAL.gateClosed);
  });

  it('refuses decisions before the gate opens, a body deciding twice, and after expiry (GateClosed)', () => {
    const gate = new DecisionChainGate(GATE, uusimaaParties());
    expect(gate.isOpen).toBe(false);
    const notOpen = refusal(() => gate.check(decision('Verso', 'verso-board')));
    expect(notOpen.type).toBe(REFUSAL.gateClosed);
    expect(notOpen.message).toBe('gate "decisions" is closed');
    // an unknown party is still NotInGate while closed
    expect(refusal(() => gate.check(decision('FSKC', 'x'))).type).toBe(REFUSAL.notInGate);

    const rows = gate.openUntil(at('2022-12-31'));
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r.dueAt === at('2022-12-31') && r.status === 'pending')).toBe(true);
    gate.decide(decision('Verso', 'verso-board'), clerk, at('2022-10-14'));
    const twice = refusal(() => gate.check(decision('Verso', 'verso-board', 'reject')));
    expect(twice.type).toBe(REFUSAL.gateClosed);
    expect(twice.message).toBe('Verso board of Verso has already decided (approved) in gate "decisions"');

    const expired = gate.expire();
    expect(expired.map((r) => r.status)).toEqual(['approved', 'expired', 'expired', 'expired', 'expired', 'expired']);
    expect(gate.isOpen).toBe(false);
    expect(gate.settled).toBe(false);
    expect(refusal(() => gate.check(decision('Verso', 'joint-authority-board'))).type).toBe(REFUSAL.gateClosed);
  });

  it('gives each body its own deadline and its own tracking row', () => {
    const gate = openGate();
    expect(gate.setDue('Verso', 'joint-authority-council', at('2022-11-30')).dueAt).toBe(at('2022-11-30'));
    expect(() => gate.setDue('Verso', 'hus-board', null)).toThrow(RangeError);
    const rows = gate.trackingRows();
    expect(rows.map((r) => `${r.gate}|${r.party}`)).toEqual([
      'decisions/verso-board|Verso',
      'decisions/joint-authority-board|Verso',
      'decisions/joint-authority-council|Verso',
      'decisions/socca-steering-group|Socca',
      'decisions/sosiaalitaito-board|Sosiaalitaito',
      'decisions/hus-board|HUS',
    ]);
    expect(rows[2]).toEqual({
      gate: 'decisions/joint-authority-council', party: 'Verso', body: 'Joint municipal authority council', status: 'pending',
      dueAt: at('2022-11-30'), decidedAt: null, decidedBy: null, comment: null, reference: null,
    });
  });

  it('after can name particular parties', () => {
    const gate = new DecisionChainGate('g', [
      { party: 'A', bodies: [{ key: 'a', body: 'A board' }] },
      { party: 'B', bodies: [{ key: 'b', body: 'B board' }] },
      { party: 'C', bodies: [{ key: 'c', body: 'C board' }], after: ['A'] },
    ]);
    gate.openUntil(null);
    expect(refusal(() => gate.check({ gate: 'g', party: 'C', body: 'c', decision: 'approve' })).type).toBe(CHAIN_REFUSAL.outOfOrder);
    gate.decide({ gate: 'g', party: 'A', body: 'a', decision: 'approve' }, clerk, at('2022-10-01'));
    // B has not decided, but C waits only for A
    expect(gate.decide({ gate: 'g', party: 'C', body: 'c', decision: 'approve' }, clerk, at('2022-10-02')).status).toBe('approved');
    expect(gate.settled).toBe(false);
  });

  it.each([
    ['no parties', [], /at least one party/],
    ['a party twice', [{ party: 'A', bodies: [{ key: 'a', body: 'A' }] }, { party: 'A', bodies: [{ key: 'b', body: 'B' }] }], /given twice/],
    ['a party without bodies', [{ party: 'A', bodies: [] }], /no deciding body/],
    ['a body twice in a chain', [{ party: 'A', bodies: [{ key: 'a', body: 'A' }, { key: 'a', body: 'A again' }] }], /body "a" is given twice/],
    ['waiting for an unknown party', [{ party: 'A', bodies: [{ key: 'a', body: 'A' }], after: ['X'] }], /waits for "X"/],
    ['waiting for itself', [{ party: 'A', bodies: [{ key: 'a', body: 'A' }], after: ['A'] }], /cannot wait for itself/],
    [
      'two parties waiting for each other',
      [
        { party: 'A', bodies: [{ key: 'a', body: 'A' }], after: ALL_OTHER_PARTIES },
        { party: 'B', bodies: [{ key: 'b', body: 'B' }], after: ['A'] },
      ],
      /wait for each other: A → B → A/,
    ],
  ] as [string, ChainParty[], RegExp][])('rejects a gate with %s', (_name, parties, message) => {
    expect(() => new DecisionChainGate('g', parties)).toThrow(RangeError);
    expect(() => new DecisionChainGate('g', parties)).toThrow(message);
  });
});

describe('DecisionChainGate: a body whose members decide by name', () => {
  const parties = (): ChainParty[] => [
    { party: 'Verso', bodies: [{ key: 'verso-board', body: 'Verso board', policy: { quorum: 2, members: ['v1', 'v2', 'v3'] } }, { key: 'joint-authority-board', body: 'Joint municipal authority board' }] },
  ];
  const open = () => {
    const gate = new DecisionChainGate(GATE, parties());
    gate.openUntil(null);
    return gate;
  };
  const refusalType = (f: () => unknown) => {
    try {
      f();
    } catch (err) {
      return err instanceof ApplicationFailure ? err.type : 'other';
    }
    return undefined;
  };

  test('the body stays due until its quorum approves; then the next body of the chain is due', () => {
    const gate = open();
    const first = gate.decide(decision('Verso', 'verso-board', 'approve', { decidedBy: 'v1' }), clerk, at('2022-10-14'));
    expect(first).toEqual(expect.objectContaining({ status: 'pending', due: true, votes: [expect.objectContaining({ member: 'v1' })] }));
    expect(refusalType(() => gate.check(decision('Verso', 'joint-authority-board')))).toBe(CHAIN_REFUSAL.outOfOrder);
    const second = gate.decide(decision('Verso', 'verso-board', 'approve', { decidedBy: 'x9', onBehalfOf: 'v3' }), clerk, at('2022-10-14'));
    expect(second).toEqual(expect.objectContaining({ status: 'approved', decidedBy: 'manager:kirjaamo for v3' }));
    expect(gate.nextDue()[0]?.next?.key).toBe('joint-authority-board');
    expect(gate.trackingRows()[0]).toEqual(expect.objectContaining({ gate: `${GATE}/verso-board`, quorum: 2, members: ['v1', 'v2', 'v3'] }));
    // A body without members decides as before.
    expect(gate.trackingRows()[1]).not.toHaveProperty('members');
  });

  test('refuses a non-member and a second vote of the same member', () => {
    const gate = open();
    expect(refusalType(() => gate.check(decision('Verso', 'verso-board', 'approve', { decidedBy: 'outsider' })))).toBe(REFUSAL.notMember);
    gate.decide(decision('Verso', 'verso-board', 'reject', { decidedBy: 'v2' }), clerk, at('2022-10-14'));
    expect(refusalType(() => gate.check(decision('Verso', 'verso-board', 'approve', { decidedBy: 'v2' })))).toBe(REFUSAL.alreadyDecided);
  });

  test('a quorum larger than the body is refused when the gate is built', () => {
    expect(() => new DecisionChainGate(GATE, [{ party: 'Verso', bodies: [{ key: 'b', body: 'B', policy: { quorum: 4, members: ['v1', 'v2', 'v3'] } }] }])).toThrow(RangeError);
  });
});
