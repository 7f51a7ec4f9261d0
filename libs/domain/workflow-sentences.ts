import {
  bodyFacts, durationFacts, stepFacts, titleFacts, waitingFacts, type BodyFacts, type StepFacts, type TitleFacts, type WaitingFacts,
} from './workflow-text';

/**
 * The sentences for the facts of libs/domain/workflow-text.ts, shared by the dashboard and the mail: each
 * reads its own catalogue (the same keys under its own section) through `text`, and formats days and money
 * its own way.
 */
export type Say = {
  text: (key: string, params?: Record<string, unknown>) => string;
  /** A calendar date (YYYY-MM-DD) in the reader's locale. */
  day: (ymd: string) => string;
  money: (cents: number) => string;
};

/** `28 s` → "28 sekunder"; a text that is no duration stays as it is. */
export function sayDuration(text: string, s: Say): string {
  const d = durationFacts(text);
  return d ? s.text(`duration.${d.unit}`, { count: d.count }) : text;
}

export function sayTitle(f: TitleFacts, s: Say): string {
  switch (f.type) {
    case 'onboarding': return s.text('onboardingTitle', { applicant: f.applicant, company: f.company });
    case 'consolidation': {
      const parties = f.parties.map((p) => (p.part ? s.text('part', { label: p.label }) : p.label)).join(' + ');
      return s.text('consolidationTitle', { parties, receiving: f.receiving, date: s.day(f.effectiveDate) });
    }
    case 'project': return s.text('projectTitle', { name: f.name, start: s.day(f.start), end: s.day(f.end) });
  }
}

export function sayBody(f: BodyFacts, s: Say): string {
  switch (f.type) {
    case 'board': return s.text('boardOf', { organisation: f.organisation });
    case 'consent': return s.text('consent', { funder: f.funder, project: f.project, receiving: f.receiving });
    case 'fundingDecision': return s.text('fundingDecision', { funder: f.funder });
  }
}

export function sayStep(f: StepFacts, s: Say): string {
  switch (f.type) {
    case 'reminder': return s.text('reminderSent', { before: sayDuration(f.before, s) });
    case 'feasibilityDone': return s.text('feasibilityDone');
    case 'signed': return s.text('signed');
    case 'paid': return s.text('paid', { paid: s.money(f.paidCents), due: s.money(f.dueCents) });
    case 'paymentRecorded': return s.text('paymentRecorded', { amount: s.money(f.amountCents) });
    case 'transfer': return s.text('transfer', { party: f.party });
    case 'partnersConfirmed': return s.text('partnersConfirmed');
    case 'applicationSubmitted': return s.text('applicationSubmitted');
    case 'reportSubmitted': return s.text('reportSubmitted', { period: f.period });
    case 'reportReminder': return s.text('reportReminder', { period: f.period, before: sayDuration(f.before, s) });
    case 'reportEscalated': return s.text('reportEscalated', { period: f.period, dueOn: s.day(f.dueOn), funder: f.funder });
    case 'period': return s.text('period', { period: f.period, start: s.day(f.start), end: s.day(f.end) });
    case 'periodsEnded': return s.text('periodsEnded');
    case 'closingApproved': return s.text('closingApproved', { document: s.text(`document.${f.document}`) });
    case 'indicator': return s.text('indicator', { key: f.key, actual: f.actual, target: f.target });
    case 'published': return s.text('published', { where: f.where });
  }
}

/** `chainBody` names a consolidation party's body as the registry does (null where it cannot). */
export function sayWaiting(f: WaitingFacts, s: Say, chainBody: (party: string, body: string) => string | null = () => null): string | null {
  switch (f.type) {
    case 'body': return sayBody(f.body, s);
    case 'sign': return s.text('sign', { who: f.who });
    case 'pay': return s.text('pay', { who: f.who, amount: s.money(f.cents) });
    case 'feasibility': return s.text('feasibility', { who: f.who });
    case 'effective': return s.text('effective', { date: s.day(f.date) });
    case 'partyBody': {
      const named = chainBody(f.party, f.body);
      return named ? s.text('partyBody', { party: f.party, body: named }) : null;
    }
    case 'startDate': return s.text('startDate', { date: s.day(f.date) });
    case 'confirmPartners': return s.text('confirmPartners', { who: f.who, partners: f.partners });
    case 'submitApplication': return s.text('submitApplication', { who: f.who });
    case 'report': return s.text('report', { who: f.who, period: f.period, dueOn: s.day(f.dueOn) });
    case 'approveDocument': return s.text('approveDocument', { who: f.who, document: s.text(`document.${f.document}`) });
    case 'publish': return s.text('publish', { who: f.who });
  }
}

/** A consolidation's decision bodies as the registry names them (null where it has no name for one). */
export type ChainBodyNames = {
  /** By the party's label and the body's launch name, as a "waiting for" text has them. */
  byLabel: (party: string, body: string) => string | null;
  /** By the party's business ID and the body's key, as an approval has them (gate `decisions/<key>`). */
  byKey: (party: string, key: string) => string | null;
};

const NO_CHAIN_NAMES: ChainBodyNames = { byLabel: () => null, byKey: () => null };

/**
 * The workflows' texts in the language of `say`, each from the facts behind it; a text no rule recognises is
 * returned as the workflow wrote it.
 */
export function workflowSentences(say: Say, chain: ChainBodyNames = NO_CHAIN_NAMES) {
  return {
    title(run: { kind: string; title: string }): string {
      const facts = titleFacts(run.kind, run.title);
      return facts ? sayTitle(facts, say) : run.title;
    },
    step(step: { key: string; title: string }): string {
      const facts = stepFacts(step.key, step.title);
      return facts ? sayStep(facts, say) : step.title;
    },
    waiting(run: { kind: string; stage: string }, text: string): string {
      const facts = waitingFacts(run.kind, run.stage, text);
      return (facts && sayWaiting(facts, say, chain.byLabel)) ?? text;
    },
    body(approval: { gate: string; party: string; body: string }): string {
      if (approval.gate.startsWith('decisions/')) return chain.byKey(approval.party, approval.gate.slice('decisions/'.length)) ?? approval.body;
      const facts = bodyFacts(approval.gate, approval.body);
      return facts ? sayBody(facts, say) : approval.body;
    },
  };
}
export type WorkflowSentences = ReturnType<typeof workflowSentences>;
