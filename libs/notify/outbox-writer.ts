import type { ApprovalView } from '../domain/progress';
import {
  ESCALATION_ROLES, NOTICE_ROLES, TASK_ROLES, bodyOfGate, kindOfStep, outboxKey,
  type MessageKind, type MessageParams,
} from '../domain/notifications';
import type { Queryable } from '../db/pool';
import { OutboxRepository, type OutboxInsert } from '../db/repositories/outbox.repository';
import { pendingApprovals, recipientsFor, type Recipient } from '../db/repositories/recipients.repository';

/** An approval row as tracked; on the people branch it also names the members who decide. */
type TrackedApproval = ApprovalView & { members?: string[] | null };

/**
 * Turns a tracked change into outbox rows, inside the caller's transaction: one e-mail per person who must
 * act (in their language) and one delivery per active webhook of the organisation concerned.
 */
export class OutboxWriter {
  constructor(private readonly outbox = new OutboxRepository()) {}

  /** Approvals the write opens (status pending): the people of the deciding body, or the gate's named members. */
  async approvalsOpened(tx: Queryable, run: { workflowId: string; title: string; kind?: string }, approvals: TrackedApproval[]): Promise<number> {
    let written = 0;
    for (const a of approvals.filter((x) => x.status === 'pending')) {
      const stepKey = `approval.${a.gate}.${a.party}`;
      const people = await recipientsFor(tx, a.members?.length
        ? { personIds: a.members, organisation: a.party, withSubstitutes: true }
        : { organisation: a.party, body: bodyOfGate(a.gate), withSubstitutes: true });
      const params: MessageParams = { title: run.title, ...(run.kind ? { kind: run.kind } : {}), workflowId: run.workflowId, stepKey, gate: a.body, party: a.party, dueAt: a.dueAt };
      written += await this.write(tx, 'approval.opened', params, people, [a.party]);
    }
    return written;
  }

  /**
   * A reminder, an escalation or a notice the workflow addresses to organisations. A reminder goes to those
   * who have not decided yet where the organisation has a pending approval, else to who acts on its tasks;
   * an escalation to the escalation roles (managing director, the funder's contact).
   */
  async notice(tx: Queryable, n: { workflowId: string; stepKey: string; recipients: string[]; subject: string; body: string }): Promise<number> {
    const kind = kindOfStep(n.stepKey);
    const run = await this.outbox.runHeading(tx, n.workflowId);
    const params: MessageParams = {
      title: run?.title ?? n.subject, ...(run ? { kind: run.kind } : {}), workflowId: n.workflowId, stepKey: n.stepKey, subject: n.subject, detail: n.body,
    };
    let written = 0;
    for (const organisation of n.recipients) {
      const people = await this.peopleFor(tx, kind, n.workflowId, organisation);
      written += await this.write(tx, kind, { ...params, party: organisation }, people, [organisation]);
    }
    return written;
  }

  private async peopleFor(tx: Queryable, kind: MessageKind, workflowId: string, organisation: string): Promise<Recipient[]> {
    // Substitutes receive what the role receives while they stand in (reminders, approvals, escalations, notices).
    if (kind === 'escalation') return recipientsFor(tx, { organisation, roles: ESCALATION_ROLES, withSubstitutes: true });
    if (kind === 'notice') return recipientsFor(tx, { organisation, roles: NOTICE_ROLES, withSubstitutes: true });
    const pending = await pendingApprovals(tx, workflowId, organisation);
    if (pending.length === 0) return recipientsFor(tx, { organisation, roles: TASK_ROLES, withSubstitutes: true });
    const byId = new Map<string, Recipient>();
    for (const p of pending) {
      const people = p.undecidedMembers
        ? (p.undecidedMembers.length ? await recipientsFor(tx, { personIds: p.undecidedMembers, organisation, withSubstitutes: true }) : [])
        : await recipientsFor(tx, { organisation, body: bodyOfGate(p.gate), withSubstitutes: true });
      for (const person of people) byId.set(person.personId, asOneRecipient(byId.get(person.personId), person));
    }
    return [...byId.values()];
  }

  private async write(tx: Queryable, kind: MessageKind, params: MessageParams, people: Recipient[], organisations: string[]): Promise<number> {
    const { workflowId, stepKey } = params;
    const rows: OutboxInsert[] = people.map((p) => ({
      idempotencyKey: outboxKey(workflowId, stepKey, p.personId, 'email'),
      workflowId, stepKey, channel: 'email', recipient: p.personId, language: p.language, template: kind,
      // A substitute's copy names whom they stand in for, so its text can say so.
      params: p.onBehalfOf.length ? { ...params, onBehalfOf: p.onBehalfOf } : params,
      // A person who takes a daily digest gets this in the day's digest (the sender folds held mail once the day is over).
      ...(p.notify === 'daily' ? { held: true } : {}),
    }));
    for (const hook of await this.outbox.activeWebhooks(tx, organisations)) {
      const recipient = `webhook-${hook.id}`;
      rows.push({ idempotencyKey: outboxKey(workflowId, stepKey, recipient, 'webhook'), workflowId, stepKey, channel: 'webhook', recipient, language: 'en', template: kind, params });
    }
    return this.outbox.enqueue(tx, rows);
  }
}

/** One person reached through several pending approvals: a substitute only if in none of them they act for themselves. */
function asOneRecipient(before: Recipient | undefined, now: Recipient): Recipient {
  if (!before) return now;
  const own = before.onBehalfOf.length === 0 || now.onBehalfOf.length === 0;
  return { ...now, onBehalfOf: own ? [] : [...new Set([...before.onBehalfOf, ...now.onBehalfOf])].sort() };
}
