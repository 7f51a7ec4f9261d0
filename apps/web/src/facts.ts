import { stringify } from 'csv-stringify/browser/esm/sync';
import type { ListItem } from './api';

export const KINDS = ['onboarding', 'shareholding-merger', 'consolidation', 'project'];
export const STATUSES = ['running', 'completed', 'rejected', 'expired', 'cancelled', 'failed'];
const DAY = 24 * 3600 * 1000;

export type Rag = { level: 'red' | 'amber' | 'green'; reason: string };

/** Red, amber or green from facts only, with the reason in words (colour is never the only signal). */
export function rag(w: Pick<ListItem, 'status' | 'nextDeadline'>, now = Date.now()): Rag {
  if (w.status === 'failed') return { level: 'red', reason: 'failed' };
  const deadline = w.nextDeadline ? Date.parse(w.nextDeadline) : NaN;
  if (w.status === 'running' && !Number.isNaN(deadline)) {
    if (deadline < now) return { level: 'red', reason: `overdue since ${formatDate(w.nextDeadline)}` };
    if (deadline - now <= 7 * DAY) return { level: 'amber', reason: `deadline ${relative(deadline - now)}` };
  }
  if (w.status === 'running') return { level: 'green', reason: 'on track' };
  return { level: 'green', reason: w.status };
}

function relative(ms: number): string {
  if (ms < 3600_000) return `in ${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < DAY) return `in ${Math.round(ms / 3600_000)} h`;
  return `in ${Math.round(ms / DAY)} d`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return d.toLocaleString('en-GB', { year: 'numeric', month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit' });
}

export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString('en-GB', { month: 'short', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
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
