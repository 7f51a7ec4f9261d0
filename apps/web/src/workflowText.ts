import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import {
  bodyFacts, durationFacts, stepFacts, titleFacts, waitingFacts, type BodyFacts,
} from '../../../libs/domain/workflow-text';
import type { ConsolidationAnswer } from './api';
import { type Format, useFormat } from './format';

/**
 * The texts workflows write in English (titles, step titles, "waiting for", approval bodies) in the
 * reader's language, built from the facts behind them (libs/domain/workflow-text.ts) and the catalogues'
 * `workflowText` section. What is not recognised stays in the workflow's words, so nothing is lost.
 */
export type WorkflowText = {
  title: (run: { kind: string; title: string }) => string;
  step: (step: { key: string; title: string }) => string;
  waiting: (run: { kind: string; stage: string }, text: string) => string;
  body: (approval: { gate: string; party: string; body: string }) => string;
};

export function workflowText(t: TFunction, f: Format, lang: string, consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const k = (key: string, params: Record<string, unknown> = {}) => t(`workflowText.${key}`, params);
  const duration = (text: string) => {
    const d = durationFacts(text);
    return d ? k(`duration.${d.unit}`, { count: d.count }) : text;
  };
  const money = (cents: number) => f.euros(cents);
  /** A decision-chain body as the registry names it in `lang` (the consolidation view has the names), else the launch's words. */
  const chainBody = (match: (p: ConsolidationAnswer['parties'][number]) => boolean, bodyMatch: (b: { key: string; body: string }) => boolean) => {
    const step = consolidation?.parties.find(match)?.chain.find(bodyMatch);
    if (!step?.names) return null;
    return (lang === 'sv' ? step.names.sv : lang === 'en' ? step.names.en : step.names.fi) ?? step.names.fi;
  };
  const body = (b: BodyFacts) => (b.type === 'board'
    ? k('boardOf', { organisation: b.organisation })
    : k('consent', { funder: b.funder, project: b.project, receiving: b.receiving }));

  return {
    title(run) {
      const facts = titleFacts(run.kind, run.title);
      if (!facts) return run.title;
      if (facts.type === 'onboarding') return k('onboardingTitle', { applicant: facts.applicant, company: facts.company });
      const parties = facts.parties.map((p) => (p.part ? k('part', { label: p.label }) : p.label)).join(' + ');
      return k('consolidationTitle', { parties, receiving: facts.receiving, date: f.day(facts.effectiveDate) });
    },
    step(step) {
      const facts = stepFacts(step.key, step.title);
      if (!facts) return step.title;
      switch (facts.type) {
        case 'reminder': return k('reminderSent', { before: duration(facts.before) });
        case 'feasibilityDone': return k('feasibilityDone');
        case 'signed': return k('signed');
        case 'paid': return k('paid', { paid: money(facts.paidCents), due: money(facts.dueCents) });
        case 'paymentRecorded': return k('paymentRecorded', { amount: money(facts.amountCents) });
        case 'transfer': return k('transfer', { party: facts.party });
      }
    },
    waiting(run, text) {
      const facts = waitingFacts(run.kind, run.stage, text);
      if (!facts) return text;
      switch (facts.type) {
        case 'body': return body(facts.body);
        case 'sign': return k('sign', { who: facts.who });
        case 'pay': return k('pay', { who: facts.who, amount: money(facts.cents) });
        case 'feasibility': return k('feasibility', { who: facts.who });
        case 'effective': return k('effective', { date: f.day(facts.date) });
        case 'partyBody': {
          const named = chainBody((p) => p.label === facts.party, (b) => b.body === facts.body);
          return named ? k('partyBody', { party: facts.party, body: named }) : text;
        }
      }
    },
    body(approval) {
      if (approval.gate.startsWith('decisions/')) {
        const key = approval.gate.slice('decisions/'.length);
        return chainBody((p) => p.businessId === approval.party, (b) => b.key === key) ?? approval.body;
      }
      const facts = bodyFacts(approval.gate, approval.body);
      return facts ? body(facts) : approval.body;
    },
  };
}

/** The formatter of the current language; a consolidation's detail passes its view for the registry's body names. */
export function useWorkflowText(consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const { t, i18n } = useTranslation();
  return workflowText(t, useFormat(), i18n.language, consolidation);
}
