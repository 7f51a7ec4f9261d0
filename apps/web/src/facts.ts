import { stringify } from 'csv-stringify/browser/esm/sync';
import { isDueToday, isOverdue } from '../../../libs/domain/helsinki-time';
import type { ListItem } from './api';

export const KINDS = ['onboarding', 'shareholding-merger', 'consolidation', 'project'];
export const STATUSES = ['running', 'completed', 'rejected', 'expired', 'cancelled', 'failed'];
const DAY = 24 * 3600 * 1000;

/** Why a workflow has its colour: a key under `rag.` in the catalogues (or its status), with the moment it concerns. */
export type Rag = { level: 'red' | 'amber' | 'green'; reason: 'failed' | 'overdue' | 'dueToday' | 'dueSoon' | 'onTrack' | string; at?: string };

/**
 * Red, amber or green from facts only, with the reason in words (colour is never the only signal).
 * A deadline is a Helsinki day: overdue (red) from the Helsinki midnight after it, amber on that day and the week before.
 */
export function rag(w: Pick<ListItem, 'status' | 'nextDeadline'>, now: number = Date.now()): Rag {
  if (w.status === 'failed') return { level: 'red', reason: 'failed' };
  const deadline = w.nextDeadline ? Date.parse(w.nextDeadline) : NaN;
  if (w.status === 'running' && w.nextDeadline && !Number.isNaN(deadline)) {
    if (isOverdue(w.nextDeadline, now)) return { level: 'red', reason: 'overdue', at: w.nextDeadline };
    if (isDueToday(w.nextDeadline, now)) return { level: 'amber', reason: 'dueToday', at: w.nextDeadline };
    if (deadline - now <= 7 * DAY) return { level: 'amber', reason: 'dueSoon', at: w.nextDeadline };
  }
  if (w.status === 'running') return { level: 'green', reason: 'onTrack' };
  return { level: 'green', reason: w.status };
}

/**
 * The colour the API judged (from facts, on the server: the list's filter and counts agree with it), in
 * the dashboard's words; the browser's own judgement only where an answer carries none.
 */
export function ragOf(w: Pick<ListItem, 'status' | 'nextDeadline' | 'health'>, now: number = Date.now()): Rag {
  const h = w.health;
  if (!h) return rag(w, now);
  const at = h.deadline ? { at: h.deadline } : {};
  switch (h.reason) {
    case 'due_soon': return { level: h.level, reason: isDueToday(h.deadline, now) ? 'dueToday' : 'dueSoon', ...at };
    case 'on_track': return { level: h.level, reason: 'onTrack' };
    case 'closed': return { level: h.level, reason: w.status };
    default: return { level: h.level, reason: h.reason, ...at };
  }
}

/**
 * The list as CSV, through csv-stringify (quoting, embedded quotes and line breaks). A cell that a
 * spreadsheet would run as a formula (starting with =, +, -, @, a tab or a carriage return: a title or
 * a reason anyone can type) gets a leading apostrophe, as OWASP advises against CSV injection.
 */
export function toCsv(items: ListItem[]): string {
  const cols = ['workflowId', 'kind', 'title', 'status', 'stage', 'percent', 'startedAt', 'updatedAt', 'nextDeadline', 'waitingFor'] as const;
  const rows = items.map((i) => cols.map((c) => {
    const v: unknown = i[c];
    return Array.isArray(v) ? v.join('; ') : v == null ? '' : String(v);
  }));
  return stringify(rows, { header: true, columns: [...cols], escape_formulas: true, record_delimiter: 'unix' });
}
