import type { TFunction } from 'i18next';
import type { MessageParams } from '../domain/notifications';
import { sayDuration, workflowSentences, type Say } from '../domain/workflow-sentences';
import { gateOfApprovalStep, noticeFacts, stepFacts } from '../domain/workflow-text';

/**
 * The texts a workflow writes in English into a mail (the run's title, its reminder and notice words,
 * the deciding body) in the recipient's language, from the facts behind them (libs/domain/workflow-text.ts).
 * Where no rule recognises a text the mail shows the workflow's words, labelled as such.
 */
export function workflowWords(t: TFunction, p: MessageParams) {
  const say: Say = {
    text: (key, params = {}) => t(`workflow.${key}`, params),
    day: (ymd) => t('workflow.day', { day: ymd }),
    money: (cents) => t('workflow.money', { amount: cents / 100 }),
  };
  const sentences = workflowSentences(say);
  const kind = p.kind ?? p.workflowId.split(':')[0] ?? '';
  return {
    title: (): string => sentences.title({ kind, title: p.title }),
    /** What the workflow's own subject and body said, where the step key and the texts carry the facts; else null. */
    detail(): string | null {
      const step = stepFacts(p.stepKey, '');
      if (step?.type === 'reminder') {
        const stage = t(`workflow.stage.${step.stage}`, { defaultValue: '' });
        return stage ? say.text('reminderDetail', { stage, before: sayDuration(step.before, say) }) : null;
      }
      if (step?.type === 'reportReminder') return say.text('reportReminderDetail', { period: step.period, before: sayDuration(step.before, say) });
      const notice = noticeFacts(p.stepKey, p.detail ?? '');
      return notice ? say.text('newShareholder', notice) : null;
    },
    /** The deciding body of an approval mail (`gate` holds the body's English name). */
    body(): string | null {
      const gate = gateOfApprovalStep(p.stepKey, p.party);
      return gate && p.gate && p.party ? sentences.body({ gate, party: p.party, body: p.gate }) : p.gate ?? null;
    },
  };
}
