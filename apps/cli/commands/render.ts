import { cell, progressBar, table, when } from '../format';
import type { WorkflowDetail, WorkflowListItem } from './types';

export function workflowTable(items: readonly WorkflowListItem[]): string[] {
  return table(
    ['WORKFLOW ID', 'KIND', 'STATUS', 'HEALTH', 'STAGE', 'PERCENT', 'NEXT DEADLINE', 'WAITING FOR'],
    items.map((w) => [w.workflowId, kindOf(w), w.status, health(w), w.stage, `${Math.round(w.percent)}%`, when(w.nextDeadline), cell(w.waitingFor)]),
  );
}

/** The kind, marked when the run was recorded from before Fuusio (a historical record), not run by it. */
function kindOf(w: Pick<WorkflowListItem, 'kind' | 'imported'>): string {
  return w.imported ? `${w.kind} (imported)` : w.kind;
}

/** A workflow's detail for people: summary, progress bar, stages, pending approvals, steps. */
export function workflowDetail(d: WorkflowDetail): string[] {
  const out: string[] = [d.title || d.workflowId, ''];
  const field = (label: string, value: string) => out.push(`  ${`${label}:`.padEnd(15)}${value}`);
  field('workflow', d.workflowId);
  field('kind', kindOf(d));
  field('status', d.status);
  field('health', health(d));
  field('stage', d.stage);
  field('progress', progressBar(d.percent));
  field('started', when(d.startedAt));
  field('updated', when(d.updatedAt));
  field('next deadline', when(d.nextDeadline));
  field('waiting for', cell(d.waitingFor));
  if (d.failure) field('failure', d.failure);

  const stages = d.stages ?? [];
  out.push('', 'Stages');
  if (stages.length === 0) out.push('  (none)');
  else {
    const hasPlanned = stages.some((s) => s.plannedAt);
    const headers = ['STAGE', 'TITLE', 'STATUS', 'STARTED', 'FINISHED', ...(hasPlanned ? ['PLANNED'] : [])];
    const rows = stages.map((s) => [
      s.key, s.title, s.status, when(s.startedAt), when(s.finishedAt), ...(hasPlanned ? [when(s.plannedAt)] : []),
    ]);
    out.push(...indent(table(headers, rows)));
  }

  const pending = d.pendingApprovals ?? [];
  out.push('', 'Pending approvals');
  if (pending.length === 0) out.push('  (none)');
  else out.push(...indent(table(['GATE', 'PARTY', 'BODY', 'DUE'], pending.map((a) => [a.gate, a.party, cell(a.body), when(a.dueAt)]))));

  const steps = d.steps ?? [];
  out.push('', 'Steps');
  if (steps.length === 0) out.push('  (none)');
  else {
    out.push(
      ...indent(
        table(
          ['STEP', 'STAGE', 'TITLE', 'STATUS', 'STARTED', 'FINISHED', 'DUE'],
          steps.map((s) => [s.key, cell(s.stage), s.title, s.status, when(s.startedAt), when(s.finishedAt), when(s.dueAt)]),
        ),
      ),
    );
  }

  if (d.result && Object.keys(d.result).length > 0) {
    out.push('', 'Result', ...JSON.stringify(d.result, null, 2).split('\n').map((l) => `  ${l}`));
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
