import { cell, labelled, progressBar, table, when } from '../format';
import type { CliText } from '../i18n';
import type { WorkflowSentences } from '../../../libs/domain/workflow-sentences';
import type { WorkflowDetail, WorkflowListItem } from './types';

/** Status, kind, stage and health codes are shown as the API names them: they are what --status and --health take. */
export function workflowTable(items: readonly WorkflowListItem[], t: CliText, words: WorkflowSentences): string[] {
  const col = (k: string) => t(`workflow.col.${k}`);
  return table(
    ['id', 'kind', 'status', 'health', 'stage', 'percent', 'nextDeadline', 'waitingFor'].map(col),
    items.map((w) => [
      w.workflowId, kindOf(w, t), w.status, health(w), w.stage, `${Math.round(w.percent)}%`, when(w.nextDeadline), cell(w.waitingFor.map((x) => words.waiting(w, x))),
    ]),
  );
}

/** The kind, marked when the run was recorded from before Fuusio (a historical record), not run by it. */
function kindOf(w: Pick<WorkflowListItem, 'kind' | 'imported'>, t: CliText): string {
  return w.imported ? `${w.kind} (${t('workflow.imported')})` : w.kind;
}

/** A workflow's detail for people: summary, progress bar, stages, pending approvals, steps. */
export function workflowDetail(d: WorkflowDetail, t: CliText, words: WorkflowSentences): string[] {
  const col = (k: string) => t(`workflow.col.${k}`);
  const field = (k: string) => t(`workflow.field.${k}`);
  const out: string[] = [d.title ? words.title(d) : d.workflowId, ''];
  out.push(...labelled([
    [field('workflow'), d.workflowId],
    [field('kind'), kindOf(d, t)],
    [field('status'), d.status],
    [field('health'), health(d)],
    [field('stage'), d.stage],
    [field('progress'), progressBar(d.percent)],
    [field('started'), when(d.startedAt)],
    [field('updated'), when(d.updatedAt)],
    [field('nextDeadline'), when(d.nextDeadline)],
    [field('waitingFor'), cell(d.waitingFor.map((x) => words.waiting(d, x)))],
    ...(d.failure ? [[field('failure'), d.failure] as const] : []),
  ]));

  const stages = d.stages ?? [];
  out.push('', t('workflow.section.stages'));
  if (stages.length === 0) out.push(`  ${t('common.none')}`);
  else {
    const hasPlanned = stages.some((s) => s.plannedAt);
    const headers = ['stage', 'title', 'status', 'started', 'finished', ...(hasPlanned ? ['planned'] : [])].map(col);
    const rows = stages.map((s) => [
      s.key, s.title, s.status, when(s.startedAt), when(s.finishedAt), ...(hasPlanned ? [when(s.plannedAt)] : []),
    ]);
    out.push(...indent(table(headers, rows)));
  }

  const pending = d.pendingApprovals ?? [];
  out.push('', t('workflow.section.pending'));
  if (pending.length === 0) out.push(`  ${t('common.none')}`);
  else out.push(...indent(table(['gate', 'party', 'body', 'due'].map(col), pending.map((a) => [a.gate, a.party, cell(a.body && words.body({ ...a, body: a.body })), when(a.dueAt)]))));

  const steps = d.steps ?? [];
  out.push('', t('workflow.section.steps'));
  if (steps.length === 0) out.push(`  ${t('common.none')}`);
  else {
    out.push(
      ...indent(
        table(
          ['step', 'stage', 'title', 'status', 'started', 'finished', 'due'].map(col),
          steps.map((s) => [s.key, cell(s.stage), words.step(s), s.status, when(s.startedAt), when(s.finishedAt), when(s.dueAt)]),
        ),
      ),
    );
  }

  if (d.result && Object.keys(d.result).length > 0) {
    out.push('', t('workflow.section.result'), ...JSON.stringify(d.result, null, 2).split('\n').map((l) => `  ${l}`));
  }
  return out;
}

function indent(lines: string[]): string[] {
  return lines.map((l) => `  ${l}`);
}

/** "red: overdue": the level and the API's reason code, so the colour is never the only signal. */
function health(w: WorkflowListItem): string {
  return w.health ? `${w.health.level}: ${w.health.reason.replace('_', ' ')}` : '-';
}
