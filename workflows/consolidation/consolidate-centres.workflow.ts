import {
  ApplicationFailure, allHandlersFinished, condition, patched, proxyActivities, setHandler, startChild, workflowInfo,
  type ChildWorkflowHandle,
} from '@temporalio/workflow';
import type * as consolidationActivities from '../../activities/consolidation/consolidation.activities';
import type * as onboardingActivities from '../../activities/registry/onboarding.activities';
import { consolidationBusinessKey } from '../../libs/domain/business-keys';
import type { ConsolidationInput } from '../../libs/domain/consolidation';
import { consolidationOrganisations, integrationDueDates, transferringParties } from '../../libs/domain/consolidation-rules';
import { parseDuration } from '../../libs/domain/duration';
import { actorLabel, onBehalfLabel, type Actor } from '../../libs/domain/progress';
import type { WorkflowEventInput } from '../../libs/domain/schemas';
import { recordingUnplannedEnd } from '../kit/failure';
import { BATCH_ACTIVITY_OPTIONS, REGISTRY_ACTIVITY_OPTIONS } from '../kit/activity-options';
import { ApprovalGate, PEOPLE_DECIDE } from '../kit/approval-gate';
import { calendarDays } from '../kit/calendar-days';
import { Cancellation } from '../kit/cancellation';
import { ALL_OTHER_PARTIES, DecisionChainGate, type ChainBody, type ChainParty } from '../kit/decision-chain';
import { waitWithReminders, type Reminder } from '../kit/deadline';
import { REFUSAL, decideUpdate, eventUpdate, progressQuery } from '../kit/messages';
import { Progress } from '../kit/progress';
import { projectConsentSignal, stopTransfersSignal, type ProjectConsent } from './messages';
import { BATCHED_TRANSFERS, TRANSFER_BATCH, transferPartyAssets, type TransferPartyResult } from './transfer-party-assets.workflow';

type Activities = ReturnType<typeof consolidationActivities.createConsolidationActivities> &
  Pick<ReturnType<typeof onboardingActivities.createOnboardingActivities>, 'sendReminder'>;

const acts = proxyActivities<Activities>(REGISTRY_ACTIVITY_OPTIONS);
const batches = proxyActivities<Activities>(BATCH_ACTIVITY_OPTIONS);

export const CONSOLIDATION_STAGES = [
  { key: 'prepared', title: 'Parties checked, registry snapshot and funding plan' },
  { key: 'feasibility', title: 'Feasibility study' },
  { key: 'decisions', title: 'Decisions of the parties' },
  { key: 'established', title: 'Receiving centre established' },
  { key: 'transfers', title: 'Staff, agreements and projects transferred' },
  { key: 'effective', title: 'Effective date' },
  { key: 'integration', title: 'Post-merger integration' },
];

const DECISIONS = 'decisions';
const CONSENT_PREFIX = 'consent/';

export type ConsolidationResult = {
  status: 'completed' | 'rejected' | 'expired' | 'cancelled' | 'failed';
  reason?: string;
  transfers?: TransferPartyResult[];
  keptProjects?: { party: string; code: string; consent: ProjectConsent['consent'] }[];
  undone?: number;
  closedTasks?: string[];
};

/**
 * Several centres of expertise become one (DOMAIN.md, process 1): prepared → feasibility study →
 * decisions (ordered chains per party, the host last) → receiving centre established → transfers
 * (one child workflow per party) → effective date (durable timer) → integration checklist.
 * Before the effective date a cancel or a failure undoes every transfer in reverse order; after it a
 * cancel is refused.
 */
async function runConsolidateCentres(input: ConsolidationInput): Promise<ConsolidationResult> {
  const { workflowId } = workflowInfo();
  const days = calendarDays();
  const label = (id: string) =>
    input.parties.find((p) => p.businessId === id)?.label ?? (input.host?.businessId === id ? input.host.label : undefined) ??
    (input.receiving.kind === 'new' && input.receiving.businessId === id ? input.receiving.name : id);
  const receivingLabel = label(input.receiving.businessId);
  const progress = new Progress(
    {
      kind: 'consolidation',
      businessKey: consolidationBusinessKey(input),
      title: `${input.parties.map((p) => (p.joins === 'part' ? `${p.label} (part)` : p.label)).join(' + ')} → ${receivingLabel} from ${input.effectiveDate}`,
      organisations: consolidationOrganisations(input),
    },
    CONSOLIDATION_STAGES,
  );
  const nowIso = () => new Date(Date.now()).toISOString();
  const effectiveAt = days.startMs(input.effectiveDate);
  const cancel = new Cancellation(
    progress,
    `the consolidation took effect on ${input.effectiveDate}; the transfers cannot be undone by a cancel any more`,
  );

  // ---- gates --------------------------------------------------------------------------------
  // Bodies whose members decide by name (launches that ask for it) reach patched(); older histories never do.
  const chainBodies = (bodies: typeof input.parties[number]['decisionChain']): ChainBody[] => bodies.map((b) => ({
    key: b.key, body: b.body,
    ...(b.policy?.members && patched(PEOPLE_DECIDE) ? { policy: { quorum: b.policy.quorum, members: b.policy.members } } : {}),
  }));
  const chainParties: ChainParty[] = input.parties.map((p) => ({ party: p.businessId, bodies: chainBodies(p.decisionChain) }));
  if (input.host) {
    chainParties.push({ party: input.host.businessId, bodies: chainBodies(input.host.decisionChain), after: ALL_OTHER_PARTIES });
  }
  const chain = new DecisionChainGate(DECISIONS, chainParties);
  const projects = input.parties.flatMap((p) => p.projects.map((x) => ({ ...x, party: p.businessId })));
  const consentGates = new Map(
    projects.map((x) => [
      `${CONSENT_PREFIX}${x.code}`,
      new ApprovalGate(`${CONSENT_PREFIX}${x.code}`, [{ party: x.funder, body: `${label(x.funder)}: consent to transfer ${x.code} to ${receivingLabel}` }]),
    ]),
  );
  const children = new Map<string, ChildWorkflowHandle<typeof transferPartyAssets>>();
  const childDone = new Set<string>();

  // ---- state driven by updates ---------------------------------------------------------------
  let findings: string | null = null;
  const doneTasks = new Set<string>();
  let closedBy: { reason: string; actor: Actor } | null = null;
  const seenEvents = new Set<string>();

  setHandler(progressQuery, () => progress.view());

  setHandler(
    decideUpdate,
    async (d) => {
      const at = nowIso();
      if (d.gate === DECISIONS) {
        const body = d.body ?? '';
        chain.decide({ ...d, body }, d.actor, at);
        const row = chain.trackingRows().find((r) => r.gate === `${DECISIONS}/${body}` && r.party === d.party);
        progress.setWaiting(waitingForDecisions());
        // A vote that leaves its body pending (members deciding with a quorum) is recorded as a vote.
        const voted = row?.members && row.status === 'pending';
        await progress.recordApprovals(row ? [row] : [], voted ? 'approval.voted' : `approval.${row?.status ?? 'decided'}`, onBehalfLabel(actorLabel(d.actor), d.onBehalfOf), {
          gate: d.gate, party: d.party, body, comment: d.comment, reference: d.reference,
          ...(row?.members ? { decidedBy: d.decidedBy ?? null, onBehalfOf: d.onBehalfOf ?? null, decision: d.decision } : {}),
        });
      } else {
        const gate = consentGates.get(d.gate);
        if (!gate) throw new Error('unreachable: the validator checked the gate');
        const row = gate.decide(d, d.actor, at);
        const code = d.gate.slice(CONSENT_PREFIX.length);
        await passConsent(code, row.status === 'approved' ? 'approved' : 'refused');
        progress.setWaiting(waitingForConsents());
        await progress.recordApprovals([row], `consent.${row.status}`, actorLabel(d.actor), {
          gate: d.gate, party: d.party, comment: d.comment, reference: d.reference,
        });
      }
      return progress.view();
    },
    {
      validator: (d) => {
        refuseWhenClosed(progress);
        if (d.gate === DECISIONS) {
          if (!d.body) refuse(REFUSAL.notInGate, `a decision in gate "${DECISIONS}" names the deciding body ("body": e.g. "${input.parties[0]?.decisionChain[0]?.key ?? 'board'}")`);
          chain.check({ ...d, body: d.body });
          return;
        }
        const gate = consentGates.get(d.gate);
        if (!gate) refuse(REFUSAL.notInGate, `there is no gate "${d.gate}" here (gates: ${[DECISIONS, ...consentGates.keys()].join(', ')})`);
        gate.check(d);
      },
    },
  );

  setHandler(
    eventUpdate,
    async (e) => {
      if (seenEvents.has(e.idempotencyKey)) return progress.view();
      seenEvents.add(e.idempotencyKey);
      const at = nowIso();
      if (e.type === 'study.completed') {
        findings = String(e.payload.findings);
        await progress.recordStep({ key: 'feasibility.study', title: 'Feasibility study completed', status: 'done', finishedAt: at }, actorLabel(e.actor), {
          findings,
        });
      } else if (e.type === 'task.completed') {
        const key = String(e.payload.task);
        doneTasks.add(key);
        const task = input.integration.find((t) => t.key === key);
        progress.setWaiting(waitingForTasks());
        await progress.recordStep(
          { key: `integration.${key}`, stage: 'integration', title: task?.title ?? key, status: 'done', finishedAt: at, dueAt: dueOf(key) },
          actorLabel(e.actor),
          { owner: task?.owner },
        );
      } else {
        closedBy = { reason: String(e.payload.reason), actor: e.actor };
        progress.setWaiting([]);
      }
      return progress.view();
    },
    { validator: (e) => validateEvent(e) },
  );

  function validateEvent(e: WorkflowEventInput & { actor: Actor }): void {
    refuseWhenClosed(progress);
    if (seenEvents.has(e.idempotencyKey)) return;
    if (e.type === 'study.completed') {
      if (progress.stage !== 'feasibility' || findings !== null) throw notExpected(e.type, progress.stage);
      const f = e.payload.findings;
      if (typeof f !== 'string' || f.trim().length < 3 || f.length > 5000) invalidPayload('payload.findings', 'the study\'s findings, 3 to 5000 characters');
      return;
    }
    if (e.type === 'task.completed') {
      if (progress.stage !== 'integration' || closedBy) throw notExpected(e.type, progress.stage);
      const task = e.payload.task;
      if (typeof task !== 'string' || !input.integration.some((t) => t.key === task)) {
        invalidPayload('payload.task', `one of the checklist tasks: ${input.integration.map((t) => t.key).join(', ')}`);
      }
      if (doneTasks.has(task)) refuse(REFUSAL.gateClosed, `task ${task} is already done`);
      return;
    }
    if (e.type === 'tasks.closed') {
      if (progress.stage !== 'integration' || closedBy) throw notExpected(e.type, progress.stage);
      if (e.actor.role !== 'admin') refuse(REFUSAL.notExpected, 'only an administrator closes the remaining integration tasks');
      const reason = e.payload.reason;
      if (typeof reason !== 'string' || reason.trim().length < 3) invalidPayload('payload.reason', 'why the remaining tasks are closed, at least 3 characters');
      return;
    }
    throw notExpected(e.type, progress.stage);
  }

  // ---- helpers -------------------------------------------------------------------------------
  function waitingForDecisions(): string[] {
    return chain.nextDue().filter((n) => n.status === 'pending' && n.next && n.waitingFor.length === 0).map((n) => `${label(n.party)}: ${n.next?.body ?? ''}`);
  }
  function waitingForConsents(): string[] {
    return [...consentGates.values()].filter((g) => g.isOpen && !g.settled).flatMap((g) => g.pendingBodies);
  }
  const dueDates = integrationDueDates(input);
  function dueOf(key: string): string | null {
    const d = dueDates.find((x) => x.key === key)?.dueDate;
    return d ? `${d}T00:00:00.000Z` : null;
  }
  function waitingForTasks(): string[] {
    return input.integration.filter((t) => !doneTasks.has(t.key)).map((t) => `${t.owner}: ${t.title}`);
  }

  async function passConsent(code: string, consent: ProjectConsent['consent']): Promise<void> {
    const party = projects.find((x) => x.code === code)?.party;
    const child = party ? children.get(party) : undefined;
    if (!child || (party && childDone.has(party))) return;
    try {
      await child.signal(projectConsentSignal, { code, consent });
    } catch {
      // the child ended (stopped) meanwhile: it no longer needs the answer
    }
  }

  const finish = async (result: ConsolidationResult): Promise<ConsolidationResult> => {
    await condition(allHandlersFinished);
    return result;
  };

  let established = false;

  /**
   * Undoes every logged transfer, newest first, then the established centre; each undo is a step (and an
   * audit event): one per batch of TRANSFER_BATCH moves (BATCHED_TRANSFERS), one per move before it.
   */
  async function compensate(): Promise<number> {
    if (patched(BATCHED_TRANSFERS)) {
      let undone = 0;
      for (let n = 1; ; n += 1) {
        const b = await batches.undoBatch({ workflowId, limit: TRANSFER_BATCH });
        undone += b.undone;
        if (b.undone > 0) {
          const what = Object.entries(b.kinds).map(([kind, count]) => `${count} ${kind}`).join(', ');
          await progress.recordStep(
            { key: `undo.batch-${n}`, title: `Undone: ${what} stay with their parties`, status: 'done', finishedAt: nowIso() }, undefined, { ...b.kinds },
          );
        }
        if (b.remaining === 0) break;
      }
      await undoEstablished();
      return undone;
    }
    const undo = await acts.transfersToUndo(workflowId);
    for (const u of undo) {
      await acts.undoTransfer({ workflowId, step: u.step });
      await progress.recordStep(
        { key: `undo.${u.step}`, title: `Undone: ${u.kind} ${u.ref} stays with ${label(u.partyId)}`, status: 'done', finishedAt: nowIso() },
        undefined,
        { party: u.partyId, kind: u.kind, ref: u.ref },
      );
    }
    await undoEstablished();
    return undo.length;
  }

  async function undoEstablished(): Promise<void> {
    if (established) {
      const r = await acts.undoReceivingCentre(workflowId);
      await progress.recordStep(
        { key: 'undo.established', title: r.removedCentre ? `Undone: new centre ${receivingLabel} removed` : `Undone: ${receivingLabel}'s new region withdrawn`, status: 'done', finishedAt: nowIso() },
        undefined,
        { removedCentre: r.removedCentre },
      );
    }
  }

  async function endCancelled(transfers?: TransferPartyResult[]): Promise<ConsolidationResult> {
    const c = cancel.requested;
    const reason = c?.reason ?? 'cancelled';
    const undone = await compensate();
    await progress.finish('cancelled', { reason, actor: c ? actorLabel(c.actor) : undefined, result: { undone } });
    return finish({ status: 'cancelled', reason, undone, ...(transfers ? { transfers } : {}) });
  }

  async function endExpired(what: string): Promise<ConsolidationResult> {
    const reason = `${what} did not arrive before the deadline`;
    await progress.finish('expired', { reason });
    return finish({ status: 'expired', reason });
  }

  // 1. prepared -----------------------------------------------------------------------------------
  await progress.enterStage('prepared');
  const prepared = await acts.prepareConsolidation({ workflowId, input });
  if (!prepared.ok) {
    await progress.finish('rejected', { reason: prepared.reason });
    return finish({ status: 'rejected', reason: prepared.reason });
  }
  const receivingShare = prepared.plan.funding?.receiving;
  await progress.completeStage('prepared', {
    snapshotRows: prepared.snapshotRows,
    carveOuts: prepared.plan.carveOuts.map((c) => ({ party: c.party, role: c.role, moving: c.moving.length, staying: c.staying.length })),
    combined: { population: prepared.plan.receivingAfter.population, areaKm2: prepared.plan.receivingAfter.areaKm2, municipalities: prepared.plan.receivingAfter.municipalities },
    funding: receivingShare
      ? { centre: receivingShare.key, shareBefore: receivingShare.before.share, shareAfter: receivingShare.after.share, centsBefore: receivingShare.before.cents, centsAfter: receivingShare.after.cents }
      : { note: prepared.plan.fundingNote },
  });

  // 2. feasibility study ----------------------------------------------------------------------------
  const studyMs = parseDuration(input.feasibility.deadline) ?? 0;
  await progress.enterStage('feasibility', { waitingFor: [`${input.feasibility.owner}: feasibility study`], deadline: new Date(Date.now() + studyMs).toISOString() });
  const studied = await condition(() => findings !== null || cancel.requested !== undefined, studyMs);
  if (cancel.requested) return endCancelled();
  if (!studied) return endExpired('the feasibility study');
  await progress.completeStage('feasibility');

  // 3. decisions ----------------------------------------------------------------------------------
  const decisionsMs = parseDuration(input.decisions.deadline) ?? 0;
  const decisionsDue = Date.now() + decisionsMs;
  chain.openUntil(new Date(decisionsDue).toISOString());
  await progress.enterStage('decisions', { waitingFor: waitingForDecisions(), deadline: new Date(decisionsDue).toISOString(), approvals: chain.trackingRows() });
  const reminders: Reminder[] = input.decisions.reminders.map((text) => ({ key: text, beforeMs: parseDuration(text) ?? 0 }));
  const decided = await waitWithReminders(() => chain.settled || cancel.requested !== undefined, decisionsDue, reminders, async (r) => {
    const pending = chain.nextDue().filter((n) => n.status === 'pending').map((n) => n.party);
    const stepKey = `decisions.reminder.${r.key}`;
    await acts.sendReminder({
      workflowId, stepKey, recipients: pending,
      subject: `Reminder: the consolidation decisions are due in ${r.key}`,
      body: `${progress.snapshot().title}: waiting for ${waitingForDecisions().join('; ')}.`,
    });
    await progress.recordStep({ key: stepKey, title: `Reminder sent ${r.key} before the decision deadline`, status: 'done', finishedAt: nowIso() });
  });
  if (cancel.requested) return endCancelled();
  if (!decided) {
    chain.expire();
    await progress.recordApprovals(chain.trackingRows(), 'approval.expired');
    return endExpired('every decision');
  }
  const rejection = chain.rejected;
  if (rejection) {
    // The comment may name people, so the reason cites the decision's reference instead.
    const reason = `${rejection.body} of ${label(rejection.party)} rejected the consolidation${rejection.reference ? ` (${rejection.reference})` : ''}`;
    await progress.finish('rejected', { reason, actor: rejection.decidedBy ?? undefined, result: { transferred: 0 } });
    return finish({ status: 'rejected', reason });
  }
  await progress.completeStage('decisions');

  // 4. established ------------------------------------------------------------------------------
  await progress.enterStage('established');
  const centre = await acts.establishReceivingCentre({ workflowId, input });
  established = true;
  await progress.completeStage('established', { centre: centre.centreId, created: centre.created, region: input.receiving.region, validFrom: input.effectiveDate });
  if (cancel.requested) return endCancelled();

  // 5. transfers: one child per party; funders consent to their projects here ------------------------
  const consentMs = parseDuration(input.consentDeadline) ?? 0;
  const consentDue = new Date(Date.now() + consentMs).toISOString();
  await progress.enterStage('transfers', { deadline: consentGates.size > 0 ? consentDue : null });
  const results = new Map<string, TransferPartyResult>();
  let failure: string | null = null;
  for (const p of transferringParties(input)) {
    const child = await startChild(transferPartyAssets, {
      // Named after the business key (the parent's id in production), so a replay under another id issues the same command.
      workflowId: `${consolidationBusinessKey(input)}/transfer/${p.businessId}`,
      args: [{
        consolidationId: workflowId, receivingId: input.receiving.businessId, effectiveDate: input.effectiveDate,
        party: { businessId: p.businessId, label: p.label, staff: p.staff, projects: p.projects, agreements: p.agreements, shareholdings: p.shareholdings },
      }],
    });
    children.set(p.businessId, child);
    await progress.recordStep({ key: `transfer.${p.businessId}`, title: `${p.label}: transfer of undertaking`, status: 'running', startedAt: nowIso() });
    child.result().then(
      (r) => {
        results.set(p.businessId, r);
        childDone.add(p.businessId);
      },
      (e: unknown) => {
        failure ??= `the transfers of ${p.label} failed: ${rootMessage(e)}`;
        childDone.add(p.businessId);
      },
    );
  }
  // The consent gates open once every child runs, so each answer has a child to go to.
  const consentRows = [...consentGates.values()].flatMap((g) => g.openUntil(consentDue));
  if (consentRows.length > 0) {
    progress.setWaiting(waitingForConsents(), consentDue);
    await progress.recordApprovals(consentRows, 'consent.requested');
  }
  // Funders that have not answered by the deadline: their projects stay with their parties.
  void (async () => {
    if (consentGates.size === 0) return;
    const answered = await condition(() => [...consentGates.values()].every((g) => g.settled) || childDone.size === children.size, consentMs);
    if (answered) return;
    for (const [gateName, gate] of consentGates) {
      if (gate.settled) continue;
      const rows = gate.expire();
      await passConsent(gateName.slice(CONSENT_PREFIX.length), 'expired');
      await progress.recordApprovals(rows, 'consent.expired');
    }
  })();

  await condition(() => childDone.size === children.size || cancel.requested !== undefined || failure !== null);
  if (childDone.size < children.size) {
    // Stop the others between two items, and wait until nothing of them is still writing.
    for (const [party, child] of children) {
      if (childDone.has(party)) continue;
      try {
        await child.signal(stopTransfersSignal);
      } catch {
        // it ended meanwhile
      }
    }
    await condition(() => childDone.size === children.size);
  }
  const transfers = [...results.values()];
  if (failure !== null || cancel.requested) {
    for (const [gateName, gate] of consentGates) if (!gate.settled) await progress.recordApprovals(gate.expire(), 'consent.withdrawn', undefined, { gate: gateName });
    if (cancel.requested) return endCancelled(transfers);
    const undone = await compensate();
    const reason = failure ?? 'the transfers failed';
    await progress.finish('failed', { reason, result: { undone } });
    return finish({ status: 'failed', reason, undone, transfers });
  }
  for (const r of transfers) {
    await progress.recordStep(
      { key: `transfer.${r.party}`, title: `${label(r.party)}: transfer of undertaking`, status: 'done', finishedAt: nowIso() },
      undefined,
      { staff: `${r.staff.transferred}/${r.staff.total}`, agreements: `${r.agreements.transferred}/${r.agreements.total}`, projects: `${r.projects.transferred}/${r.projects.total}`, kept: r.projects.kept },
    );
  }
  const keptProjects = transfers.flatMap((r) => r.projects.kept.map((k) => ({ party: r.party, ...k })));
  await progress.completeStage('transfers', {
    staff: transfers.reduce((n, r) => n + r.staff.transferred, 0),
    agreements: transfers.reduce((n, r) => n + r.agreements.transferred, 0),
    projects: transfers.reduce((n, r) => n + r.projects.transferred, 0),
    shares: transfers.reduce((n, r) => n + r.shareholdings.reduce((m, s) => m + s.shares, 0), 0),
    keptProjects,
  });

  // 6. effective: a durable timer to the effective date; the point of no return --------------------
  await progress.enterStage('effective', { deadline: new Date(effectiveAt).toISOString(), waitingFor: [`effective date ${input.effectiveDate}`] });
  const wait = effectiveAt - Date.now();
  if (wait > 0) await condition(() => cancel.requested !== undefined, wait);
  if (cancel.requested) return endCancelled(transfers);
  cancel.commit();
  const effective = await acts.applyEffectiveChanges({ workflowId, input });
  await progress.completeStage('effective', effective);

  // 7. integration checklist ------------------------------------------------------------------------
  const firstDue = dueDates.map((d) => d.dueDate).sort()[0];
  await progress.enterStage('integration', { waitingFor: waitingForTasks(), deadline: firstDue ? `${firstDue}T00:00:00.000Z` : null });
  for (const t of input.integration) {
    await progress.recordStep({ key: `integration.${t.key}`, title: t.title, status: 'pending', dueAt: dueOf(t.key) }, undefined, { owner: t.owner });
  }
  await condition(() => input.integration.every((t) => doneTasks.has(t.key)) || closedBy !== null);
  const closed = input.integration.filter((t) => !doneTasks.has(t.key)).map((t) => t.key);
  const closing = closedBy as { reason: string; actor: Actor } | null;
  if (closing && closed.length > 0) {
    for (const key of closed) {
      await progress.recordStep(
        { key: `integration.${key}`, title: input.integration.find((t) => t.key === key)?.title ?? key, status: 'skipped', finishedAt: nowIso(), dueAt: dueOf(key) },
        actorLabel(closing.actor),
        { closedReason: closing.reason },
      );
    }
  }
  await progress.completeStage('integration', { done: doneTasks.size, closed: closed.length, ...(closing ? { closedReason: closing.reason } : {}) });
  const result: ConsolidationResult = { status: 'completed', transfers, keptProjects, ...(closed.length > 0 ? { closedTasks: closed } : {}) };
  await progress.finish('completed', {
    result: { keptProjects, effective, closedTasks: closed, staff: transfers.reduce((n, r) => n + r.staff.transferred, 0) },
  });
  return finish(result);
}

export const consolidateCentres = recordingUnplannedEnd(runConsolidateCentres);

/** The innermost cause's message: a child's failure wraps the activity's, which wraps the reason. */
function rootMessage(e: unknown): string {
  let cur = e;
  while (cur instanceof Error && cur.cause instanceof Error) cur = cur.cause;
  return cur instanceof Error ? cur.message : String(cur);
}

function refuse(type: string, message: string, details?: { path: string; message: string }[]): never {
  throw ApplicationFailure.create({ type, message, ...(details ? { details } : {}) });
}

function invalidPayload(path: string, what: string): never {
  refuse(REFUSAL.invalidPayload, `${path}: must be ${what}`, [{ path, message: `must be ${what}` }]);
}

function refuseWhenClosed(progress: Progress): void {
  if (progress.isFinal) refuse(REFUSAL.closed, 'the workflow has already ended');
}

function notExpected(type: string, stage: string): ApplicationFailure {
  return ApplicationFailure.create({ type: REFUSAL.notExpected, message: `event ${type} is not expected in stage ${stage}` });
}

