import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, ApprovalView, Vote } from '../../libs/domain/progress';
import { actorLabel, onBehalfLabel } from '../../libs/domain/progress';
import type { DecisionInput } from '../../libs/domain/schemas';
import { REFUSAL } from './messages';

/**
 * Who decides for a party's body: only `members` (person ids) may, each once, and the party has
 * approved once `quorum` of them approve (rejected once so many reject that the quorum is out of reach).
 */
export type ApprovalPolicy = { quorum: number; members: string[] };

/** The patch id guarding decisions by named members (and four eyes) in the workflows that use them. */
export const PEOPLE_DECIDE = 'people-decide';
export type GateParty = { party: string; body: string; policy?: ApprovalPolicy };
/** The person deciding and, for a substitute, the member they decide for (see `Decider` in messages.ts). */
export type DecidingPerson = { decidedBy?: string | null; onBehalfOf?: string | null };

/** Throws a RangeError when a policy cannot work: no members, a member twice, or a quorum the body cannot reach. */
export function assertPolicy(policy: ApprovalPolicy, where: string): void {
  if (policy.members.length === 0) throw new RangeError(`${where} has no members`);
  if (new Set(policy.members).size !== policy.members.length) throw new RangeError(`${where} names a member twice`);
  if (!Number.isInteger(policy.quorum) || policy.quorum < 1 || policy.quorum > policy.members.length) {
    throw new RangeError(`${where}: a quorum of ${policy.quorum} cannot be reached by ${policy.members.length} members`);
  }
}

/**
 * A set of parties that must each approve; any rejection closes the gate.
 * `check` runs in the update validator, so a refused decision never reaches the history.
 */
export class ApprovalGate {
  private readonly approvals: ApprovalView[];
  private open = false;

  constructor(readonly gate: string, parties: GateParty[]) {
    for (const p of parties) if (p.policy) assertPolicy(p.policy, `the body of ${p.party} in gate "${gate}"`);
    // Rows without a policy keep their old shape, so the projection of older histories is unchanged.
    this.approvals = parties.map((p) => ({
      gate, party: p.party, body: p.body, status: 'pending', dueAt: null,
      ...(p.policy ? { quorum: p.policy.quorum, members: [...p.policy.members], votes: [] } : {}),
    }));
  }

  /** Names a party's deciding body once it is known (e.g. after the registry check). */
  describeParty(party: string, body: string): void {
    for (const a of this.approvals) if (a.party === party) a.body = body;
  }

  openUntil(dueAt: string | null): ApprovalView[] {
    this.open = true;
    for (const a of this.approvals) a.dueAt = dueAt;
    return this.views();
  }

  get isOpen(): boolean {
    return this.open;
  }

  get rejected(): ApprovalView | undefined {
    return this.approvals.find((a) => a.status === 'rejected');
  }

  get settled(): boolean {
    return this.rejected !== undefined || this.approvals.every((a) => a.status === 'approved');
  }

  get pendingBodies(): string[] {
    return this.approvals.filter((a) => a.status === 'pending').map((a) => a.body);
  }

  views(): ApprovalView[] {
    return this.approvals.map((a) => ({ ...a, ...(a.votes ? { votes: [...a.votes] } : {}) }));
  }

  check(d: DecisionInput & DecidingPerson): void {
    if (d.gate !== this.gate) {
      throw ApplicationFailure.create({ type: REFUSAL.notInGate, message: `there is no gate "${d.gate}" here (open gate: ${this.gate})` });
    }
    const approval = this.approvals.find((a) => a.party === d.party);
    if (!approval) {
      throw ApplicationFailure.create({
        type: REFUSAL.notInGate,
        message: `${d.party} is not a party of gate "${this.gate}" (parties: ${this.approvals.map((a) => a.party).join(', ')})`,
      });
    }
    if (!this.open || this.settled || approval.status !== 'pending') {
      throw ApplicationFailure.create({ type: REFUSAL.gateClosed, message: `gate "${this.gate}" is closed for ${d.party}` });
    }
    if (approval.members) checkVoter(approval, d);
  }

  decide(d: DecisionInput & DecidingPerson, actor: Actor, at: string): ApprovalView {
    this.check(d);
    const approval = this.approvals.find((a) => a.party === d.party);
    if (!approval) throw new Error('unreachable: checked above');
    if (approval.members) {
      const settled = castVote(approval, d, at);
      if (!settled) return { ...approval, votes: [...(approval.votes ?? [])] };
      approval.decidedAt = at;
      approval.decidedBy = onBehalfLabel(actorLabel(actor), d.onBehalfOf);
      approval.comment = d.comment ?? null;
      approval.reference = d.reference ?? null;
      if (this.settled) this.open = false;
      return { ...approval, votes: [...(approval.votes ?? [])] };
    }
    approval.status = d.decision === 'approve' ? 'approved' : 'rejected';
    approval.decidedAt = at;
    approval.decidedBy = onBehalfLabel(actorLabel(actor), d.onBehalfOf);
    approval.comment = d.comment ?? null;
    approval.reference = d.reference ?? null;
    if (this.settled) this.open = false;
    return { ...approval };
  }

  expire(): ApprovalView[] {
    this.open = false;
    for (const a of this.approvals) if (a.status === 'pending') a.status = 'expired';
    return this.views();
  }
}

function refuse(type: string, message: string): never {
  throw ApplicationFailure.create({ type, message, nonRetryable: true });
}

/** The member whose vote this is: the substitute's principal, or the decider. */
function voterOf(d: DecidingPerson): string | null {
  return d.onBehalfOf ?? d.decidedBy ?? null;
}

/** Refuses a vote by someone who is not a member (nor a member's substitute), or who has already acted. */
export function checkVoter(approval: ApprovalView, d: DecidingPerson): void {
  const members = approval.members ?? [];
  const voter = voterOf(d);
  if (!d.decidedBy || !voter) {
    refuse(REFUSAL.notMember, `${approval.body} decides by its members; this token belongs to no person`);
  }
  if (!members.includes(voter)) {
    refuse(REFUSAL.notMember, d.onBehalfOf
      ? `${d.onBehalfOf}, for whom ${d.decidedBy} would decide, is not a member of ${approval.body}`
      : `${voter} is not a member of ${approval.body} (nor a substitute of one)`);
  }
  for (const v of approval.votes ?? []) {
    if (v.member === voter) refuse(REFUSAL.alreadyDecided, `${voter} has already decided (${v.decision}) in ${approval.body}`);
    if ((v.by ?? v.member) === d.decidedBy) refuse(REFUSAL.alreadyDecided, `${d.decidedBy} has already decided in ${approval.body}; one person decides once`);
  }
}

/** Adds a checked vote; settles the approval when the quorum is reached or out of reach. True when settled. */
export function castVote(approval: ApprovalView, d: DecisionInput & DecidingPerson, at: string): boolean {
  const members = approval.members ?? [];
  const quorum = approval.quorum ?? members.length;
  const vote: Vote = {
    member: voterOf(d) ?? '', by: d.onBehalfOf ? d.decidedBy ?? null : null, decision: d.decision, at, reference: d.reference ?? null,
  };
  approval.votes = [...(approval.votes ?? []), vote];
  const approvals = approval.votes.filter((v) => v.decision === 'approve').length;
  const rejections = approval.votes.length - approvals;
  if (approvals >= quorum) approval.status = 'approved';
  else if (rejections > members.length - quorum) approval.status = 'rejected';
  return approval.status !== 'pending';
}
