import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, ApprovalView } from '../../libs/domain/progress';
import { actorLabel, onBehalfLabel } from '../../libs/domain/progress';
import type { DecisionInput } from '../../libs/domain/schemas';
import { assertPolicy, castVote, checkVoter, type ApprovalPolicy, type DecidingPerson } from './approval-gate';
import { REFUSAL } from './messages';

/**
 * Refusal types of the chain gate in addition to REFUSAL (messages.ts). The API should answer
 * `DecisionOutOfOrder` with 422, like REFUSAL.notInGate.
 */
export const CHAIN_REFUSAL = { outOfOrder: 'DecisionOutOfOrder' } as const;

/** A decision in a chain names the deciding body by its key, in addition to gate and party. */
export type ChainDecision = DecisionInput & DecidingPerson & { body: string };

/**
 * One deciding body: `key` is what decisions name (`ChainDecision.body`), `body` its display name, and
 * `policy` where its members decide by name with a quorum (as in ApprovalGate).
 */
export type ChainBody = { body: string; key: string; policy?: ApprovalPolicy };

/** Every other party of the gate (for `after`). */
export const ALL_OTHER_PARTIES = '*';

export type ChainParty = {
  party: string;
  /** The bodies that decide for this party, in the order they must decide. */
  bodies: ChainBody[];
  /**
   * This party's first body may decide only once these parties' whole chains are approved
   * (e.g. the receiving host's final board). `'*'` (ALL_OTHER_PARTIES) means every other party.
   */
  after?: readonly string[] | typeof ALL_OTHER_PARTIES;
};

/** One row per party and body: an ApprovalView plus where the body stands in its party's chain. */
export type ChainStepView = ApprovalView & {
  bodyKey: string;
  /** 1-based position in the party's chain. */
  order: number;
  /** The party's next body to decide, with nothing before it in the way. */
  due: boolean;
};

/** Per party: the body whose decision comes next, and what it still waits for. */
export type ChainNext = {
  party: string;
  status: 'pending' | 'approved' | 'rejected' | 'expired';
  /** The next body (key and name) to decide; null once the party's chain has ended. */
  next: ChainBody | null;
  /** Parties whose chains must be approved before `next` may decide (from `after`). */
  waitingFor: string[];
};

type Step = ApprovalView & { bodyKey: string; order: number };
type PartyChain = { party: string; steps: Step[]; after: string[] };

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/**
 * A gate where each party's decision is a chain of bodies deciding in order, e.g. Verso: its board,
 * then the joint authority's board, then its council; finally the receiving host's board (HUS) once
 * every other party is through. Any rejection settles the whole gate as rejected.
 *
 * `check` runs in the update validator (so a refused decision never reaches the history); it throws
 * ApplicationFailure with type REFUSAL.notInGate (unknown gate, party or body), REFUSAL.gateClosed
 * (not open, settled, expired, or this body has decided already) or CHAIN_REFUSAL.outOfOrder (an
 * earlier body of the chain, or a party named in `after`, has not approved yet).
 *
 * Pure: no I/O, no clock (callers pass `at`), so it is safe in workflow code and in unit tests.
 */
export class DecisionChainGate {
  private readonly chains: PartyChain[];
  private open = false;

  constructor(readonly gate: string, parties: ChainParty[]) {
    if (parties.length === 0) throw new RangeError(`gate "${gate}" needs at least one party`);
    const names = parties.map((p) => p.party);
    const seen = new Set<string>();
    for (const p of parties) {
      if (seen.has(p.party)) throw new RangeError(`party "${p.party}" is given twice in gate "${gate}"`);
      seen.add(p.party);
      if (p.bodies.length === 0) throw new RangeError(`party "${p.party}" has no deciding body in gate "${gate}"`);
      const keys = new Set<string>();
      for (const b of p.bodies) {
        if (b.policy) assertPolicy(b.policy, `${b.body} of ${p.party} in gate "${gate}"`);
        if (keys.has(b.key)) throw new RangeError(`body "${b.key}" is given twice in the chain of ${p.party}`);
        keys.add(b.key);
      }
    }
    this.chains = parties.map((p) => {
      const after = p.after === ALL_OTHER_PARTIES ? names.filter((n) => n !== p.party) : [...(p.after ?? [])];
      for (const a of after) {
        if (a === p.party) throw new RangeError(`party "${p.party}" cannot wait for itself`);
        if (!seen.has(a)) throw new RangeError(`party "${p.party}" waits for "${a}", which is not a party of gate "${gate}"`);
      }
      return {
        party: p.party,
        after,
        steps: p.bodies.map((b, i): Step => ({
          gate, party: p.party, body: b.body, bodyKey: b.key, order: i + 1, status: 'pending', dueAt: null,
          // Rows without a policy keep their old shape, so the projection of older histories is unchanged.
          ...(b.policy ? { quorum: b.policy.quorum, members: [...b.policy.members], votes: [] } : {}),
        })),
      };
    });
    this.assertNoCycle();
  }

  private assertNoCycle(): void {
    const state = new Map<string, 'visiting' | 'done'>();
    const visit = (party: string, path: string[]): void => {
      if (state.get(party) === 'done') return;
      if (state.get(party) === 'visiting') {
        throw new RangeError(`the parties of gate "${this.gate}" wait for each other: ${[...path, party].join(' → ')}`);
      }
      state.set(party, 'visiting');
      for (const a of this.chain(party)?.after ?? []) visit(a, [...path, party]);
      state.set(party, 'done');
    };
    for (const c of this.chains) visit(c.party, []);
  }

  private chain(party: string): PartyChain | undefined {
    return this.chains.find((c) => c.party === party);
  }

  private static partyStatus(c: PartyChain): ChainNext['status'] {
    if (c.steps.some((s) => s.status === 'rejected')) return 'rejected';
    if (c.steps.every((s) => s.status === 'approved')) return 'approved';
    if (c.steps.some((s) => s.status === 'expired')) return 'expired';
    return 'pending';
  }

  private waitingFor(c: PartyChain): string[] {
    return c.after.filter((a) => {
      const other = this.chain(a);
      return !other || DecisionChainGate.partyStatus(other) !== 'approved';
    });
  }

  /** Opens the gate; every body not yet decided gets `dueAt` (use `setDue` for a body's own deadline). */
  openUntil(dueAt: string | null): ChainStepView[] {
    this.open = true;
    for (const s of this.steps()) if (s.status === 'pending') s.dueAt = dueAt;
    return this.views();
  }

  /** Sets one body's deadline (e.g. the council meets later than the board). */
  setDue(party: string, bodyKey: string, dueAt: string | null): ChainStepView {
    const step = this.chain(party)?.steps.find((s) => s.bodyKey === bodyKey);
    if (!step) throw new RangeError(`${party} has no body "${bodyKey}" in gate "${this.gate}"`);
    step.dueAt = dueAt;
    return this.viewOf(step);
  }

  get isOpen(): boolean {
    return this.open;
  }

  /** The first rejecting row, if any body has rejected. */
  get rejected(): ChainStepView | undefined {
    const step = this.rejectedStep();
    return step ? this.viewOf(step) : undefined;
  }

  private rejectedStep(): Step | undefined {
    return this.steps().find((s) => s.status === 'rejected');
  }

  get approved(): boolean {
    return this.steps().every((s) => s.status === 'approved');
  }

  get settled(): boolean {
    return this.rejectedStep() !== undefined || this.approved;
  }

  /** The bodies whose decision is due now (names), for "waiting for" in the projection; none once settled. */
  get pendingBodies(): string[] {
    if (this.settled) return [];
    return this.nextDue()
      .filter((n) => n.next && n.waitingFor.length === 0 && n.status === 'pending')
      .map((n) => n.next?.body ?? '');
  }

  /** Per party, in the constructor's order: the next body to decide and what it still waits for. */
  nextDue(): ChainNext[] {
    return this.chains.map((c) => {
      const status = DecisionChainGate.partyStatus(c);
      const step = status === 'pending' ? c.steps.find((s) => s.status === 'pending') : undefined;
      const first = c.steps[0];
      const waitingFor = step && first && step === first && !this.rejectedStep() ? this.waitingFor(c) : [];
      return { party: c.party, status, next: step ? { body: step.body, key: step.bodyKey } : null, waitingFor };
    });
  }

  /** One row per party and body, parties in the constructor's order, bodies in chain order. */
  views(): ChainStepView[] {
    return this.steps().map((s) => this.viewOf(s));
  }

  /**
   * The rows as plain ApprovalViews for the tracking activity. Its `approvals` table is keyed by
   * (workflow, gate, party), so each body gets its own gate name `gate/bodyKey` there; otherwise the
   * bodies of one party would overwrite each other.
   */
  trackingRows(): ApprovalView[] {
    return this.steps().map((s) => ({
      gate: `${this.gate}/${s.bodyKey}`,
      party: s.party,
      body: s.body,
      status: s.status,
      dueAt: s.dueAt,
      decidedAt: s.decidedAt ?? null,
      decidedBy: s.decidedBy ?? null,
      comment: s.comment ?? null,
      reference: s.reference ?? null,
      ...(s.members ? { quorum: s.quorum ?? null, members: [...s.members], votes: [...(s.votes ?? [])] } : {}),
    }));
  }

  check(d: ChainDecision): void {
    if (d.gate !== this.gate) {
      refuse(REFUSAL.notInGate, `there is no gate "${d.gate}" here (open gate: ${this.gate})`);
    }
    const chain = this.chain(d.party);
    if (!chain) {
      refuse(REFUSAL.notInGate, `${d.party} is not a party of gate "${this.gate}" (parties: ${this.chains.map((c) => c.party).join(', ')})`);
    }
    const step = chain.steps.find((s) => s.bodyKey === d.body);
    if (!step) {
      refuse(
        REFUSAL.notInGate,
        `"${d.body}" does not decide for ${d.party} in gate "${this.gate}" (its chain: ${chain.steps.map((s) => s.bodyKey).join(' → ')})`,
      );
    }
    if (!this.open || this.settled) {
      const rejected = this.rejectedStep();
      refuse(REFUSAL.gateClosed, `gate "${this.gate}" is closed${rejected ? ` (rejected by ${rejected.body} of ${rejected.party})` : ''}`);
    }
    if (step.status !== 'pending') {
      refuse(REFUSAL.gateClosed, `${step.body} of ${d.party} has already decided (${step.status}) in gate "${this.gate}"`);
    }
    const before = chain.steps.filter((s) => s.order < step.order && s.status !== 'approved');
    if (before.length > 0) {
      refuse(
        CHAIN_REFUSAL.outOfOrder,
        `${step.body} of ${d.party} decides after ${before.map((s) => s.body).join(', ')}, which ${before.length === 1 ? 'has' : 'have'} not approved yet`,
      );
    }
    const waiting = this.waitingFor(chain);
    if (waiting.length > 0) {
      refuse(CHAIN_REFUSAL.outOfOrder, `${step.body} of ${d.party} decides only after every body of ${waiting.join(', ')} has approved`);
    }
    if (step.members) checkVoter(step, d);
  }

  /** Records a decision that `check` accepts (it checks again); a rejection settles and closes the gate. */
  decide(d: ChainDecision, actor: Actor, at: string): ChainStepView {
    this.check(d);
    const step = this.chain(d.party)?.steps.find((s) => s.bodyKey === d.body);
    if (!step) throw new Error('unreachable: checked above');
    if (step.members && !castVote(step, d, at)) return this.viewOf(step);
    if (!step.members) step.status = d.decision === 'approve' ? 'approved' : 'rejected';
    step.decidedAt = at;
    step.decidedBy = onBehalfLabel(actorLabel(actor), d.onBehalfOf);
    step.comment = d.comment ?? null;
    step.reference = d.reference ?? null;
    if (this.settled) this.open = false;
    return this.viewOf(step);
  }

  /** Deadline passed: every body not yet decided expires and the gate closes. */
  expire(): ChainStepView[] {
    this.open = false;
    for (const s of this.steps()) if (s.status === 'pending') s.status = 'expired';
    return this.views();
  }

  private steps(): Step[] {
    return this.chains.flatMap((c) => c.steps);
  }

  private viewOf(step: Step): ChainStepView {
    const next = this.nextDue().find((n) => n.party === step.party);
    const due = this.open && !this.settled && next?.next?.key === step.bodyKey && next.waitingFor.length === 0;
    return { ...step, due };
  }
}
