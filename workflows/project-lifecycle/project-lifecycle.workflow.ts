import {
  ApplicationFailure, allHandlersFinished, condition, continueAsNew, proxyActivities, setHandler, workflowInfo,
} from '@temporalio/workflow';
import type { ProjectActivities } from '../../activities/projects/project.activities';
import { parseDuration } from '../../libs/domain/duration';
import { projectBusinessKey } from '../../libs/domain/business-keys';
import { addMonths } from '../../libs/domain/calendar-dates';
import {
  checkChangePayload, checkClosingPayload, checkFundingDecisionPayload, checkIndicatorPayload, checkReportPayload, checkRootingPayload,
} from '../../libs/domain/event-payloads';
import type { ProjectInput } from '../../libs/domain/project';
import {
  CLOSING_DOCUMENTS, checkApprovedAmount, checkBudgetChange, planOwnFinancing, planPeriods, projectOrganisations, replanPeriods,
  type ClosingDocument, type OwnFinancingPlan, type ProjectPeriod,
} from '../../libs/domain/project-rules';
import { actorLabel, type Actor } from '../../libs/domain/progress';
import type { DecisionInput, WorkflowEventInput } from '../../libs/domain/schemas';
import { recordingUnplannedEnd } from '../kit/failure';
import { REGISTRY_ACTIVITY_OPTIONS } from '../kit/activity-options';
import { ApprovalGate } from '../kit/approval-gate';
import { calendarDays } from '../kit/calendar-days';
import { REFUSAL, cancelUpdate, decideUpdate, eventUpdate, progressQuery } from '../kit/messages';
import { checkedPayload, invalidPayload } from '../kit/payloads';
import { Progress, type ProgressState } from '../kit/progress';

const acts = proxyActivities<ProjectActivities>(REGISTRY_ACTIVITY_OPTIONS);

export const PROJECT_STAGES = [
  { key: 'idea', title: 'Project idea' },
  { key: 'planning', title: 'Planning: partners and own financing' },
  { key: 'application', title: 'Funding application' },
  { key: 'decision', title: 'Funding decision' },
  { key: 'implementation', title: 'Implementation and periodic reporting' },
  { key: 'closing', title: 'Closing: final report, monitoring form, final payment' },
  { key: 'rooting', title: 'Rooting: results published' },
  { key: 'archived', title: 'Archived' },
];

/** The funding decision's gate: one party, the funder. */
export const FUNDING_GATE = 'funding';

export type ProjectResult = { status: 'completed' | 'rejected' | 'cancelled'; reason?: string; approvedCents?: number; periods?: number; retainUntil?: string };

type IndicatorState = { key: string; title: string; target: number; actual: number | null };

/** The project's own state, kept over the runs. */
type ProjectState = {
  euraCode: string | null;
  budgetCents: number;
  approvedCents: number | null;
  endDate: string;
  periodMonths: number;
  periods: ProjectPeriod[];
  reports: Record<string, { reportedOn: string; costsCents: number }>;
  /** Reminders and escalations already sent, as `<period>:<key>`. */
  notices: string[];
  indicators: IndicatorState[];
  ownFinancing: OwnFinancingPlan | null;
  decidedOn: string | null;
  decisionReference: string | null;
  changes: number;
  /** Idempotency keys of recent events; a few hundred are plenty to recognise a resent event. */
  seenEvents: string[];
  runs: number;
};

/** What one run hands the next over continueAsNew (the input itself travels unchanged). */
export type ProjectCarry = ProjectState & { progress: ProgressState };

const SEEN_EVENTS_KEPT = 200;
const ESCALATION = 'overdue';

/**
 * An ESR development project from idea to archive. Events: partners.confirmed, application.submitted,
 * funding.decided ({decision, approvedCents?, euraCode?, reportingPeriodMonths?, reference?}; the
 * decide update on gate "funding" by the funder approves the full budget or rejects), report.submitted
 * ({period, costsCents}), indicator.recorded ({key, actual}), change.requested ({newEnd?, budgetCents?}),
 * closing.approved ({document}), results.published ({where, title, url?}). During implementation the
 * workflow continues as new at every period boundary, carrying its state.
 */
async function runProjectLifecycle(input: ProjectInput, carried?: ProjectCarry): Promise<ProjectResult> {
  const { workflowId } = workflowInfo();
  const days = calendarDays();
  const { progress: carriedProgress, ...carriedState } = carried ?? {};
  const s: ProjectState = carried ? (carriedState as ProjectState) : {
    euraCode: input.euraCode ?? null,
    budgetCents: input.budgetCents,
    approvedCents: null,
    endDate: input.plannedEnd,
    periodMonths: input.reportingPeriodMonths,
    periods: [],
    reports: {},
    notices: [],
    indicators: input.indicators.map((i) => ({ ...i, actual: null })),
    ownFinancing: null,
    decidedOn: null,
    decisionReference: null,
    changes: 0,
    seenEvents: [],
    runs: 0,
  };
  s.runs += 1;
  const progress = new Progress(
    { kind: 'project', businessKey: projectBusinessKey(input), title: titleOf(input, s.euraCode, s.endDate), organisations: projectOrganisations(input) },
    PROJECT_STAGES,
    carriedProgress,
  );
  const gate = new ApprovalGate(FUNDING_GATE, [{ party: input.funder, body: `Funding decision by ${input.funder}` }]);
  let partnersConfirmed = false;
  let applicationSubmitted = false;
  let decision: { approve: boolean; approvedCents: number; reason?: string; actor: string } | null = null;
  const closingApproved = new Set<ClosingDocument>();
  let publication: { where: string; title: string; url?: string } | null = null;
  let cancelRequest: { reason: string; actor: Actor } | undefined;
  // Bumped by every accepted event, so the waiting loop re-plans its next wake-up.
  let version = 0;
  const seen = new Set(s.seenEvents);

  const today = () => days.today();
  const reportedCosts = () => Object.values(s.reports).reduce((sum, r) => sum + r.costsCents, 0);
  const periodOf = (no: number) => s.periods.find((p) => p.no === no);
  const recordProject = (status: Parameters<ProjectActivities['recordProject']>[0]['project']['status']) =>
    acts.recordProject({
      project: {
        workflowId, euraCode: s.euraCode, name: input.name, funderId: input.funder, leadId: input.lead, partnerIds: input.partners,
        region: input.region ?? null, startDate: input.plannedStart, endDate: s.endDate, plannedEndDate: input.plannedEnd,
        budgetCents: s.budgetCents, approvedCents: s.approvedCents, ownFinancing: s.ownFinancing, reportingPeriodMonths: s.periodMonths,
        predecessorId: input.predecessor ?? null, status, decidedOn: s.decidedOn, decisionReference: s.decisionReference,
      },
      periods: s.periods,
      indicators: s.indicators.map(({ key, title, target }) => ({ key, title, target })),
    });

  setHandler(progressQuery, () => progress.view());

  // ---- decisions -------------------------------------------------------------------------------
  setHandler(
    decideUpdate,
    async (d) => {
      await applyDecision(d, d.actor, {});
      return progress.view();
    },
    {
      validator: (d) => {
        refuseWhenClosed();
        gate.check(d);
        if (d.decision === 'approve' && !s.euraCode) {
          throw invalidPayload('payload.euraCode', 'the project has no EURA code yet: send the event funding.decided with payload.euraCode');
        }
      },
    },
  );

  async function applyDecision(d: DecisionInput, actor: Actor, extra: { approvedCents?: number; euraCode?: string; months?: number }): Promise<void> {
    const approval = gate.decide(d, actor, new Date(Date.now()).toISOString());
    if (extra.euraCode) s.euraCode = extra.euraCode;
    if (extra.months) s.periodMonths = extra.months;
    s.decidedOn = today();
    s.decisionReference = d.reference ?? null;
    decision = d.decision === 'approve'
      ? { approve: true, approvedCents: extra.approvedCents ?? input.budgetCents, actor: actorLabel(actor) }
      // The reason cites the decision's reference: its comment may name people and stays with the approval.
      : { approve: false, approvedCents: 0, reason: d.reference, actor: actorLabel(actor) };
    progress.setWaiting([], null);
    await progress.recordApprovals([approval], `approval.${approval.status}`, actorLabel(actor), {
      gate: d.gate, party: d.party, reference: d.reference, ...(extra.approvedCents ? { approvedCents: extra.approvedCents } : {}),
    });
  }

  // ---- events ----------------------------------------------------------------------------------
  setHandler(
    eventUpdate,
    async (e) => {
      if (seen.has(e.idempotencyKey)) return progress.view();
      remember(e.idempotencyKey);
      await handleEvent(e);
      version += 1;
      return progress.view();
    },
    { validator: (e) => validateEvent(e) },
  );

  function remember(key: string): void {
    seen.add(key);
    s.seenEvents = [...s.seenEvents, key].slice(-SEEN_EVENTS_KEPT);
  }

  function validateEvent(e: WorkflowEventInput): void {
    refuseWhenClosed();
    if (seen.has(e.idempotencyKey)) return;
    const stage = progress.stage;
    switch (e.type) {
      case 'partners.confirmed':
        if (stage !== 'planning' || partnersConfirmed) throw notExpected(e.type, stage);
        return;
      // Each step may follow the previous one at once, before the workflow has moved to its stage.
      case 'application.submitted':
        if (!partnersConfirmed || applicationSubmitted) throw notExpected(e.type, stage);
        return;
      case 'funding.decided': {
        if (!applicationSubmitted || decided() !== null) throw notExpected(e.type, stage);
        const p = checkedPayload(checkFundingDecisionPayload, e.payload);
        gate.check({ gate: FUNDING_GATE, party: input.funder, decision: p.decision });
        if (p.decision === 'approve') {
          if (!s.euraCode && !p.euraCode) throw invalidPayload('payload.euraCode', 'is assigned by the decision: the project has none yet');
          const refusal = p.approvedCents === undefined ? null : checkApprovedAmount(p.approvedCents, input.budgetCents);
          if (refusal) throw invalidPayload(refusal.path, refusal.message);
        }
        return;
      }
      case 'report.submitted': {
        if (stage !== 'implementation' && stage !== 'closing') throw notExpected(e.type, stage);
        const p = checkedPayload(checkReportPayload, e.payload);
        const period = periodOf(p.period);
        if (!period) {
          throw invalidPayload('payload.period', `there is no period ${p.period} (the project has periods 1–${s.periods.length})`);
        }
        if (s.reports[String(p.period)]) throw notExpected(`${e.type} for period ${p.period}`, `${stage}: period ${p.period} is already reported`);
        if (period.end >= today()) throw invalidPayload('payload.period', `period ${p.period} ends on ${period.end}; its report can be filed after that`);
        return;
      }
      case 'indicator.recorded': {
        if (stage !== 'implementation' && stage !== 'closing') throw notExpected(e.type, stage);
        const p = checkedPayload(checkIndicatorPayload, e.payload);
        if (!s.indicators.some((i) => i.key === p.key)) {
          throw invalidPayload('payload.key', `there is no indicator ${p.key} (indicators: ${s.indicators.map((i) => i.key).join(', ') || 'none'})`);
        }
        return;
      }
      case 'change.requested': {
        if (stage !== 'implementation') throw notExpected(e.type, stage);
        const p = checkedPayload(checkChangePayload, e.payload);
        if (p.newEnd !== undefined) {
          const r = replanPeriods(s.periods, reportedSet(), p.newEnd, today(), s.periodMonths, input.reportDueDays);
          if (!r.ok) throw invalidPayload(r.refusal.path, r.refusal.message);
        }
        if (p.budgetCents !== undefined) {
          const refusal = checkBudgetChange(p.budgetCents, reportedCosts());
          if (refusal) throw invalidPayload(refusal.path, refusal.message);
        }
        return;
      }
      case 'closing.approved': {
        if (stage !== 'closing') throw notExpected(e.type, stage);
        const p = checkedPayload(checkClosingPayload, e.payload);
        if (closingApproved.has(p.document)) throw notExpected(`${e.type} for ${p.document}`, `${stage}: already approved`);
        return;
      }
      case 'results.published':
        if (stage !== 'rooting' || publication) throw notExpected(e.type, stage);
        checkedPayload(checkRootingPayload, e.payload);
        return;
      default:
        throw notExpected(e.type, stage);
    }
  }

  async function handleEvent(e: WorkflowEventInput & { actor: Actor }): Promise<void> {
    const actor = actorLabel(e.actor);
    const at = new Date(Date.now()).toISOString();
    const step = (key: string, title: string, details: Record<string, unknown> = {}) =>
      progress.recordStep({ key, title, status: 'done', finishedAt: at }, actor, { type: e.type, idempotencyKey: e.idempotencyKey, ...details });
    switch (e.type) {
      case 'partners.confirmed':
        partnersConfirmed = true;
        return step('partners.confirmed', 'Partners confirmed');
      case 'application.submitted':
        applicationSubmitted = true;
        gate.openUntil(null);
        return step('application.submitted', 'Funding application submitted', { reference: e.payload.reference });
      case 'funding.decided': {
        const p = checkedPayload(checkFundingDecisionPayload, e.payload);
        return applyDecision(
          { gate: FUNDING_GATE, party: input.funder, decision: p.decision, comment: p.comment, reference: p.reference },
          e.actor,
          { approvedCents: p.approvedCents, euraCode: p.euraCode, months: p.reportingPeriodMonths },
        );
      }
      case 'report.submitted': {
        const p = checkedPayload(checkReportPayload, e.payload);
        s.reports[String(p.period)] = { reportedOn: today(), costsCents: p.costsCents };
        await acts.recordPeriodReport({ workflowId, periodNo: p.period, reportedOn: today(), costsCents: p.costsCents, reference: p.reference ?? null });
        return step(`report.${p.period}`, `Report for period ${p.period} submitted`, { period: p.period, costsCents: p.costsCents });
      }
      case 'indicator.recorded': {
        const p = checkedPayload(checkIndicatorPayload, e.payload);
        const indicator = s.indicators.find((i) => i.key === p.key);
        if (indicator) indicator.actual = p.actual;
        await acts.recordIndicatorActual({ workflowId, key: p.key, actual: p.actual, on: today() });
        return step(`indicator.${p.key}`, `Indicator ${p.key}: ${p.actual} of ${indicator?.target ?? '?'}`, { key: p.key, actual: p.actual });
      }
      case 'change.requested': {
        const p = checkedPayload(checkChangePayload, e.payload);
        const details: Record<string, unknown> = {};
        if (p.newEnd !== undefined) {
          const r = replanPeriods(s.periods, reportedSet(), p.newEnd, today(), s.periodMonths, input.reportDueDays);
          if (!r.ok) throw new Error(r.refusal.message); // checked in the validator
          details.previousEnd = s.endDate;
          details.newEnd = p.newEnd;
          s.periods = r.periods;
          s.endDate = p.newEnd;
          details.periods = r.periods.length;
        }
        if (p.budgetCents !== undefined) {
          details.previousBudgetCents = s.budgetCents;
          s.budgetCents = p.budgetCents;
          details.budgetCents = p.budgetCents;
          if (input.ownFinancing) s.ownFinancing = planOwnFinancing(s.budgetCents, input.ownFinancing);
        }
        s.changes += 1;
        progress.setMeta({ title: titleOf(input, s.euraCode, s.endDate) });
        await recordProject('running');
        return step(`change.${s.changes}`, changeTitle(p.newEnd, p.budgetCents), { ...details, reference: p.reference });
      }
      case 'closing.approved': {
        const p = checkedPayload(checkClosingPayload, e.payload);
        closingApproved.add(p.document);
        await acts.recordProjectDocument({ workflowId, kind: p.document, key: p.document, recordedOn: today(), detail: { reference: p.reference ?? null, approvedBy: actor } });
        return step(`closing.${p.document}`, `${documentTitle(p.document)} approved`, { document: p.document });
      }
      case 'results.published': {
        publication = checkedPayload(checkRootingPayload, e.payload);
        return step('rooting.published', `Results published in ${publication.where}`, { where: publication.where });
      }
      default:
        return;
    }
  }

  // ---- cancel ----------------------------------------------------------------------------------
  setHandler(
    cancelUpdate,
    async (c) => {
      cancelRequest = c;
      await condition(() => progress.isRecordedFinal);
      return progress.view();
    },
    {
      validator: (_request) => {
        refuseWhenClosed();
        if (cancelRequest) throw refusal(REFUSAL.closed, 'a cancellation is already under way');
        if (['closing', 'rooting', 'archived'].includes(progress.stage)) {
          throw refusal(REFUSAL.pointOfNoReturn, 'the project is closing; it can no longer be cancelled');
        }
      },
    },
  );

  function refuseWhenClosed(): void {
    if (progress.isFinal) throw refusal(REFUSAL.closed, 'the workflow has already ended');
  }

  function reportedSet(): Set<number> {
    return new Set(Object.keys(s.reports).map(Number));
  }

  async function done(result: ProjectResult): Promise<ProjectResult> {
    await condition(allHandlersFinished);
    return result;
  }

  async function endCancelled(): Promise<ProjectResult> {
    const reason = cancelRequest?.reason ?? 'cancelled';
    await recordProject('cancelled');
    await progress.finish('cancelled', { reason, actor: cancelRequest ? actorLabel(cancelRequest.actor) : undefined });
    return done({ status: 'cancelled', reason });
  }

  const cancelled = () => cancelRequest !== undefined;
  // Read through a function: the update handler sets it, which the compiler's narrowing cannot see.
  const decided = (): typeof decision => decision;

  // ---- 1–4: idea, planning, application, decision (first run only) -----------------------------
  if (!carried) {
    await progress.enterStage('idea');
    await recordProject('planned');
    await progress.completeStage('idea', { budgetCents: input.budgetCents, plannedStart: input.plannedStart, plannedEnd: input.plannedEnd });

    await progress.enterStage('planning', { waitingFor: [`${input.lead}: confirm the partners (${[input.lead, ...input.partners].join(', ')})`] });
    await condition(() => partnersConfirmed || cancelled());
    if (cancelled()) return endCancelled();
    if (input.ownFinancing) s.ownFinancing = planOwnFinancing(input.budgetCents, input.ownFinancing);
    await recordProject('planned');
    await progress.completeStage('planning', s.ownFinancing ? { ownFinancing: s.ownFinancing } : {});

    await progress.enterStage('application', { waitingFor: [`${input.lead}: submit the funding application`] });
    await condition(() => applicationSubmitted || cancelled());
    if (cancelled()) return endCancelled();
    await recordProject('applied');
    await progress.completeStage('application');

    await progress.enterStage('decision', { waitingFor: gate.pendingBodies, approvals: gate.views() });
    await condition(() => decision !== null || cancelled());
    const verdict = decided();
    if (cancelled() || !verdict) return endCancelled();
    if (!verdict.approve) {
      const reason = `the funder rejected the application${verdict.reason ? ` (${verdict.reason})` : ''}`;
      await recordProject('rejected');
      await progress.finish('rejected', { reason, actor: verdict.actor });
      return done({ status: 'rejected', reason });
    }
    s.approvedCents = verdict.approvedCents;
    s.budgetCents = verdict.approvedCents;
    if (input.ownFinancing) s.ownFinancing = planOwnFinancing(s.budgetCents, input.ownFinancing);
    s.periods = planPeriods(input.plannedStart, s.endDate, s.periodMonths, input.reportDueDays);
    progress.setMeta({ title: titleOf(input, s.euraCode, s.endDate) });
    await recordProject('running');
    await progress.completeStage('decision', {
      approvedCents: s.approvedCents, reduced: s.approvedCents < input.budgetCents, euraCode: s.euraCode,
      periods: s.periods.length, reportingPeriodMonths: s.periodMonths, ownFinancing: s.ownFinancing,
    }, verdict.actor);

    // 5. implementation starts on the start date (durable timer)
    const startAt = days.startMs(input.plannedStart);
    await progress.enterStage('implementation', {
      // A start that has already passed is no deadline (it would read as overdue).
      waitingFor: [`start date ${input.plannedStart}`], deadline: startAt > Date.now() ? new Date(startAt).toISOString() : null,
    });
    if (startAt > Date.now()) await condition(cancelled, startAt - Date.now());
    if (cancelled()) return endCancelled();
  }

  // ---- 5: implementation, one run per period ---------------------------------------------------
  if (progress.stage === 'implementation') {
    const firstOpen = currentPeriod();
    await progress.recordStep({
      key: `period.${firstOpen?.no ?? 'end'}`, title: firstOpen ? `Period ${firstOpen.no}: ${firstOpen.start} – ${firstOpen.end}` : 'All periods ended',
      status: 'running', startedAt: new Date(Date.now()).toISOString(), dueAt: firstOpen ? days.deadlineIso(firstOpen.end) : null,
    }, undefined, { run: s.runs });
    const periodEnded = async () => {
      if (firstOpen) await progress.recordStep({ key: `period.${firstOpen.no}`, title: `Period ${firstOpen.no}: ${firstOpen.start} – ${firstOpen.end}`, status: 'done', finishedAt: new Date(Date.now()).toISOString() });
    };
    for (;;) {
      await sendDueNotices();
      if (cancelled()) return endCancelled();
      const current = currentPeriod();
      if (!current) {
        await periodEnded();
        break; // the end date has passed: on to closing
      }
      const boundary = firstOpen !== undefined && current.no !== firstOpen.no;
      if (boundary) await periodEnded();
      if (boundary || workflowInfo().continueAsNewSuggested) {
        // A period boundary (or a period unusually full of events): hand the state to a fresh run,
        // so no run's history grows without bound.
        await condition(allHandlersFinished);
        await continueAsNew<typeof projectLifecycle>(input, { ...s, progress: progress.state() });
      }
      await showWaiting(current);
      const seenVersion = version;
      const wakeAt = Math.min(days.endMs(current.end), ...pendingNoticeTimes().filter((t) => t > Date.now()));
      await condition(() => version !== seenVersion || cancelled(), Math.max(1, wakeAt - Date.now()));
    }
    await progress.completeStage('implementation', { periods: s.periods.length, endDate: s.endDate, reportedCostsCents: reportedCosts() });
  }

  // ---- 6: closing: all reports in, and the three closing documents approved ------------------
  await recordProject('closing');
  await progress.enterStage('closing', { waitingFor: closingWaitingFor(), deadline: earliestOpenDue() });
  for (;;) {
    await sendDueNotices();
    if (allReported() && CLOSING_DOCUMENTS.every((d) => closingApproved.has(d))) break;
    if (progress.setWaiting(closingWaitingFor(), earliestOpenDue())) await progress.note('closing.waiting');
    const seenVersion = version;
    const times = pendingNoticeTimes().filter((t) => t > Date.now());
    if (times.length > 0) await condition(() => version !== seenVersion, Math.max(1, Math.min(...times) - Date.now()));
    else await condition(() => version !== seenVersion);
  }
  const lastInstalment = Math.max(0, s.budgetCents - reportedCosts());
  await acts.recordProjectDocument({
    workflowId, kind: 'last-instalment', key: 'last-instalment', recordedOn: today(),
    detail: { amountCents: lastInstalment, after: [...CLOSING_DOCUMENTS] },
  });
  await progress.completeStage('closing', { lastInstalmentCents: lastInstalment });

  // ---- 7: rooting: results and practice descriptions published --------------------------------
  await recordProject('rooting');
  await progress.enterStage('rooting', { waitingFor: [`${input.lead}: publish the results and practice descriptions`] });
  await condition(() => publication !== null);
  const published = publication as { where: string; title: string; url?: string } | null;
  await acts.recordProjectDocument({
    workflowId, kind: 'rooting', key: 'publication', recordedOn: today(),
    detail: { where: published?.where ?? '', title: published?.title ?? '', ...(published?.url ? { url: published.url } : {}) },
  });
  await progress.completeStage('rooting', { where: published?.where });

  // ---- 8: archived with a retention date -----------------------------------------------------
  await progress.enterStage('archived');
  const archivedOn = today();
  const retainUntil = addMonths(archivedOn, 12 * input.retentionYears);
  await acts.archiveProject({ workflowId, archivedOn, retainUntil });
  await progress.completeStage('archived', { retainUntil });
  await progress.finish('completed', { result: { approvedCents: s.approvedCents, budgetCents: s.budgetCents, periods: s.periods.length, endDate: s.endDate, retainUntil } });
  return done({ status: 'completed', approvedCents: s.approvedCents ?? undefined, periods: s.periods.length, retainUntil });

  // ---- helpers over the carried state ----------------------------------------------------------

  /** The period running today, or undefined once the project's end date has passed. */
  function currentPeriod(): ProjectPeriod | undefined {
    const t = today();
    return s.periods.find((p) => p.end >= t);
  }

  function openReports(): ProjectPeriod[] {
    const t = today();
    return s.periods.filter((p) => p.end < t && !s.reports[String(p.no)]);
  }

  function allReported(): boolean {
    return s.periods.every((p) => s.reports[String(p.no)]);
  }

  function reminders(): { key: string; beforeMs: number }[] {
    return input.reminders.map((text) => ({ key: text, beforeMs: parseDuration(text) ?? 0 }));
  }

  /** A report is due by the end of its due day. */
  function dueAtMs(p: ProjectPeriod): number {
    return days.endMs(p.dueOn);
  }

  function pendingNoticeTimes(): number[] {
    const times: number[] = [];
    for (const p of s.periods) {
      if (s.reports[String(p.no)]) continue;
      for (const r of reminders()) if (!s.notices.includes(`${p.no}:${r.key}`)) times.push(dueAtMs(p) - r.beforeMs);
      if (!s.notices.includes(`${p.no}:${ESCALATION}`)) times.push(dueAtMs(p));
    }
    return times;
  }

  /** Reminders before a report's due time and one escalation after it; stale reminders are skipped, not sent late. */
  async function sendDueNotices(): Promise<void> {
    const now = Date.now();
    for (const p of openReports()) {
      const due = dueAtMs(p);
      if (now >= due) {
        if (s.notices.includes(`${p.no}:${ESCALATION}`)) continue;
        s.notices.push(`${p.no}:${ESCALATION}`);
        const stepKey = `report.${p.no}.escalated`;
        await acts.noticeReport({
          workflowId, stepKey, periodNo: p.no, recipients: [input.lead, input.funder], escalatedOn: today(),
          subject: `Overdue: report for period ${p.no} of ${input.name}`,
          body: `The report for ${p.start} – ${p.end} was due on ${p.dueOn} and has not arrived.`,
        });
        progress.setWaiting(waitingForReports(), earliestOpenDue());
        await progress.recordStep({
          key: stepKey, title: `Report for period ${p.no} overdue since ${p.dueOn}: escalated to ${input.funder}`, status: 'failed',
          finishedAt: new Date(now).toISOString(), dueAt: days.deadlineIso(p.dueOn),
        }, undefined, { period: p.no, dueOn: p.dueOn });
        continue;
      }
      for (const r of reminders().sort((a, b) => b.beforeMs - a.beforeMs)) {
        const key = `${p.no}:${r.key}`;
        if (s.notices.includes(key) || now < due - r.beforeMs) continue;
        s.notices.push(key);
        const stepKey = `report.${p.no}.reminder.${r.key}`;
        await acts.noticeReport({
          workflowId, stepKey, periodNo: p.no, recipients: [input.lead],
          subject: `Reminder: report for period ${p.no} of ${input.name} is due in ${r.key}`,
          body: `The report (payment application) for ${p.start} – ${p.end} is due on ${p.dueOn}.`,
        });
        await progress.recordStep({ key: stepKey, title: `Reminder sent ${r.key} before the report for period ${p.no} is due`, status: 'done', finishedAt: new Date(now).toISOString() });
      }
    }
  }

  function earliestOpenDue(): string | null {
    const open = openReports();
    if (open.length === 0) return null;
    const first = open.reduce((a, b) => (dueAtMs(b) < dueAtMs(a) ? b : a));
    return days.deadlineIso(first.dueOn);
  }

  function waitingForReports(): string[] {
    return openReports().map((p) => `${input.lead}: report for period ${p.no} (due ${p.dueOn})`);
  }

  /** The projection shows the earliest open report's due time (past = overdue), else the running period's end. */
  async function showWaiting(current: ProjectPeriod): Promise<void> {
    const open = waitingForReports();
    const waiting = open.length > 0 ? open : [`period ${current.no} ends ${current.end}`];
    const deadline = earliestOpenDue() ?? days.deadlineIso(current.end);
    if (progress.setWaiting(waiting, deadline)) await progress.note('implementation.waiting', { period: current.no });
  }

  function closingWaitingFor(): string[] {
    const docs = CLOSING_DOCUMENTS.filter((d) => !closingApproved.has(d)).map((d) => `${input.funder}: approve the ${documentTitle(d).toLowerCase()}`);
    return [...waitingForReports(), ...docs];
  }
}

export const projectLifecycle = recordingUnplannedEnd(runProjectLifecycle);

function titleOf(input: ProjectInput, code: string | null, end: string): string {
  return `${input.name}${code ? ` (${code})` : ''}, ${input.plannedStart} – ${end}`;
}

function documentTitle(d: ClosingDocument): string {
  return d === 'final-report' ? 'Final report' : d === 'monitoring-form' ? 'Final monitoring form' : 'Final payment application';
}

function changeTitle(newEnd: string | undefined, budget: number | undefined): string {
  const parts = [newEnd ? `end moved to ${newEnd}` : null, budget !== undefined ? `budget changed to ${budget} cents` : null].filter(Boolean);
  return `Change application: ${parts.join(', ')}`;
}

function refusal(type: string, message: string, details?: { path: string; message: string }[]): ApplicationFailure {
  return ApplicationFailure.create({ type, message, ...(details ? { details } : {}) });
}

function notExpected(type: string, stage: string): ApplicationFailure {
  return refusal(REFUSAL.notExpected, `event ${type} is not expected in stage ${stage}`);
}

