import type { TFunction } from 'i18next';
import type { MessageParams } from '../domain/notifications';
import {
  bodyFacts, durationFacts, gateOfApprovalStep, noticeFacts, stepFacts, titleFacts,
} from '../domain/workflow-text';

/**
 * The texts a workflow writes in English into a mail (the run's title, its reminder and notice words,
 * the deciding body) in the recipient's language, from the facts behind them (libs/domain/workflow-text.ts).
 * `null` where no rule recognises the text: the mail then shows the workflow's words, labelled as such.
 */
export function workflowWords(t: TFunction, p: MessageParams) {
  const k = (key: string, params: Record<string, unknown> = {}) => t(`workflow.${key}`, params);
  const kind = p.kind ?? p.workflowId.split(':')[0] ?? '';
  return {
    title(): string {
      const facts = titleFacts(kind, p.title);
      if (!facts) return p.title;
      if (facts.type === 'onboarding') return k('onboardingTitle', { applicant: facts.applicant, company: facts.company });
      const parties = facts.parties.map((x) => (x.part ? k('part', { label: x.label }) : x.label)).join(' + ');
      return k('consolidationTitle', { parties, receiving: facts.receiving, date: facts.effectiveDate });
    },
    /** What the workflow's own subject and body said, where the step key and the texts carry the facts. */
    detail(): string | null {
      const step = stepFacts(p.stepKey, '');
      if (step?.type === 'reminder') {
        const d = durationFacts(step.before);
        const stage = t(`workflow.stage.${step.stage}`, { defaultValue: '' });
        return d && stage ? k('reminderDetail', { stage, before: k(`duration.${d.unit}`, { count: d.count }) }) : null;
      }
      const notice = noticeFacts(p.stepKey, p.detail ?? '');
      return notice ? k('newShareholder', notice) : null;
    },
    /** The deciding body of an approval mail (`gate` holds the body's English name). */
    body(): string | null {
      const gate = gateOfApprovalStep(p.stepKey, p.party);
      const facts = gate && p.gate ? bodyFacts(gate, p.gate) : null;
      if (!facts) return p.gate ?? null;
      return facts.type === 'board'
        ? k('boardOf', { organisation: facts.organisation })
        : k('consent', { funder: facts.funder, project: facts.project, receiving: facts.receiving });
    },
  };
}
