import { workflowSentences, type WorkflowSentences } from '../../libs/domain/workflow-sentences';
import type { Lang } from '../../libs/i18n/languages';
import type { CliText } from './i18n';

/** The workflows' own texts as they are: English output stays what scripts have always read. */
const AS_WRITTEN: WorkflowSentences = {
  title: (run) => run.title,
  step: (step) => step.title,
  waiting: (_run, text) => text,
  body: (approval) => approval.body,
};

/**
 * The texts workflows write in English (titles, steps, "waiting for", bodies) in Finnish or Swedish output, from
 * the facts behind them (libs/domain/workflow-sentences.ts); dates as Helsinki dates in the reader's locale.
 */
export function cliWorkflowWords(lang: Lang, t: CliText): WorkflowSentences {
  if (lang === 'en') return AS_WRITTEN;
  return workflowSentences({
    text: (key, params = {}) => t(`workflowText.${key}`, params),
    day: (ymd) => t('workflowText.day', { day: ymd }),
    money: (cents) => t('workflowText.money', { amount: cents / 100 }),
  });
}
