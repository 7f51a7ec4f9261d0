import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { sayBody, sayStep, sayTitle, sayWaiting, type Say } from '../../../libs/domain/workflow-sentences';
import { bodyFacts, stepFacts, titleFacts, waitingFacts } from '../../../libs/domain/workflow-text';
import type { ConsolidationAnswer, InboxItem } from './api';
import { type Format, useFormat } from './format';

/**
 * The texts workflows write in English (titles, step titles, "waiting for", approval bodies) in the
 * reader's language, built from the facts behind them (libs/domain/workflow-text.ts) with the catalogues'
 * `workflowText` section. What is not recognised stays in the workflow's words, so nothing is lost.
 */
export type WorkflowText = {
  title: (run: { kind: string; title: string }) => string;
  step: (step: { key: string; title: string }) => string;
  waiting: (run: { kind: string; stage: string }, text: string) => string;
  body: (approval: { gate: string; party: string; body: string }) => string;
  /** What a task in "My tasks" asks (the API says it in English: `Decide for …`, the expected event's words, a step's title). */
  task: (item: InboxItem) => string;
};

export function workflowText(t: TFunction, f: Format, lang: string, consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const say: Say = { text: (key, params = {}) => t(`workflowText.${key}`, params), day: (ymd) => f.day(ymd), money: (cents) => f.euros(cents) };
  /** A decision-chain body as the registry names it in `lang` (the consolidation view has the names). */
  const chainBody = (match: (p: ConsolidationAnswer['parties'][number]) => boolean, bodyMatch: (b: { key: string; body: string }) => boolean) => {
    const step = consolidation?.parties.find(match)?.chain.find(bodyMatch);
    if (!step?.names) return null;
    return (lang === 'sv' ? step.names.sv : lang === 'en' ? step.names.en : step.names.fi) ?? step.names.fi;
  };

  const text: WorkflowText = {
    title(run) {
      const facts = titleFacts(run.kind, run.title);
      return facts ? sayTitle(facts, say) : run.title;
    },
    step(step) {
      const facts = stepFacts(step.key, step.title);
      return facts ? sayStep(facts, say) : step.title;
    },
    waiting(run, text) {
      const facts = waitingFacts(run.kind, run.stage, text);
      const said = facts && sayWaiting(facts, say, (party, body) => chainBody((p) => p.label === party, (b) => b.body === body));
      return said ?? text;
    },
    body(approval) {
      if (approval.gate.startsWith('decisions/')) {
        const key = approval.gate.slice('decisions/'.length);
        return chainBody((p) => p.businessId === approval.party, (b) => b.key === key) ?? approval.body;
      }
      const facts = bodyFacts(approval.gate, approval.body);
      return facts ? sayBody(facts, say) : approval.body;
    },
    task(item) {
      if (item.type === 'decision' && item.gate && item.party && item.body) {
        return say.text('decideFor', { body: text.body({ gate: item.gate, party: item.party, body: item.body }) });
      }
      if (item.type === 'event' && item.event) return t(`workflowText.expected.${item.event.replace(/\./g, '_')}`, { defaultValue: item.what });
      // A task is a pending step: its key is the item's, less the `task:` prefix and a substitute's `:for:…`.
      if (item.type === 'task') return text.step({ key: item.key.replace(/^task:/, '').replace(/:for:.*$/, ''), title: item.what });
      return item.what;
    },
  };
  return text;
}

/** The formatter of the current language; a consolidation's detail passes its view for the registry's body names. */
export function useWorkflowText(consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const { t, i18n } = useTranslation();
  return workflowText(t, useFormat(), i18n.language, consolidation);
}
