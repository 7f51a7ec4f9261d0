import { ApplicationFailure } from '@temporalio/workflow';
import type { Actor, ApprovalView } from '../../libs/domain/progress';
import { actorLabel } from '../../libs/domain/progress';
import type { DecisionInput } from '../../libs/domain/schemas';
import { REFUSAL } from './messages';

export type GateParty = { party: string; body: string };

/**
 * A set of parties that must each approve; any rejection closes the gate.
 * `check` runs in the update validator, so a refused decision never reaches the history.
 */
export class ApprovalGate {
  private readonly approvals: ApprovalView[];
  private open = false;

  constructor(readonly gate: string, parties: GateParty[]) {
    this.approvals = parties.map((p) => ({ gate, party: p.party, body: p.body, status: 'pending', dueAt: null }));
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
    return this.approvals.map((a) => ({ ...a }));
  }

  check(d: DecisionInput): void {
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
  }

  decide(d: DecisionInput, actor: Actor, at: string): ApprovalView {
    this.check(d);
    const approval = this.approvals.find((a) => a.party === d.party);
    if (!approval) throw new Error('unreachable: checked above');
    approval.status = d.decision === 'approve' ? 'approved' : 'rejected';
    approval.decidedAt = at;
    approval.decidedBy = actorLabel(actor);
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
