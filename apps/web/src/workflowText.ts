import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { workflowSentences, type ChainBodyNames, type Say, type WorkflowSentences } from '../../../libs/domain/workflow-sentences';
import type { ConsolidationAnswer, InboxItem } from './api';
import { type Format, useFormat } from './format';

/**
 * The texts workflows write in English (titles, step titles, "waiting for", approval bodies, what a task
 * asks) in the reader's language, from the facts behind them (libs/domain/workflow-text.ts) and the shared
 * catalogue mounted under `workflowText`. What is not recognised stays in the workflow's words.
 */
export type WorkflowText = WorkflowSentences & {
  /** What a task in "My tasks" asks (the API says it in English: `Decide for …`, the expected event's words, a step's title). */
  task: (item: InboxItem) => string;
};

export function workflowText(t: TFunction, f: Format, lang: string, consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const say: Say = { text: (key, params = {}) => t(`workflowText.${key}`, params), day: (ymd) => f.day(ymd), money: (cents) => f.euros(cents) };
  const sentences = workflowSentences(say, consolidation ? registryBodyNames(consolidation, lang) : undefined);
  return {
    ...sentences,
    task(item) {
      if (item.type === 'decision' && item.gate && item.party && item.body) {
        return say.text('decideFor', { body: sentences.body({ gate: item.gate, party: item.party, body: item.body }) });
      }
      if (item.type === 'event' && item.event) return t(`workflowText.expected.${item.event.replace(/\./g, '_')}`, { defaultValue: item.what });
      // A task is a pending step: its key is the item's, less the `task:` prefix and a substitute's `:for:…`.
      if (item.type === 'task') return sentences.step({ key: item.key.replace(/^task:/, '').replace(/:for:.*$/, ''), title: item.what });
      return item.what;
    },
  };
}

/** The consolidation view's decision bodies by the registry's names (`governing_bodies`) in `lang`. */
function registryBodyNames(view: ConsolidationAnswer, lang: string): ChainBodyNames {
  const named = (party: ConsolidationAnswer['parties'][number] | undefined, match: (b: { key: string; body: string }) => boolean) => {
    const names = party?.chain.find(match)?.names;
    if (!names) return null;
    return (lang === 'sv' ? names.sv : lang === 'en' ? names.en : names.fi) ?? names.fi;
  };
  return {
    byLabel: (label, body) => named(view.parties.find((p) => p.label === label), (b) => b.body === body),
    byKey: (party, key) => named(view.parties.find((p) => p.businessId === party), (b) => b.key === key),
  };
}

/** The formatter of the current language; a consolidation's detail passes its view for the registry's body names. */
export function useWorkflowText(consolidation: ConsolidationAnswer | null = null): WorkflowText {
  const { t, i18n } = useTranslation();
  return workflowText(t, useFormat(), i18n.language, consolidation);
}
