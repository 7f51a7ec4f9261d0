import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../libs/domain/calendar-dates';
import { helsinkiDate } from '../../../libs/domain/helsinki-time';
import type { WorkflowChange } from '../../../libs/domain/workflow-state-diff';
import { call } from './api';
import { apiErrorText } from './errors';
import { useFormat } from './format';
import { helsinkiToday } from './periods';
import { valueText } from './RegistryDiff';

/** GET /api/workflows/{id}/state/diff: the changes as libs/domain/workflow-state-diff.ts makes them. */
type StateDiff = { workflowId: string; from: string; to: string; changes: WorkflowChange[] };

const stateDiff = (id: string, from: string, to: string) =>
  call<StateDiff>('GET', `/api/workflows/${encodeURIComponent(id)}/state/diff?${new URLSearchParams({ from, to })}`);

function What({ c }: { c: WorkflowChange }) {
  if (c.op === 'changed') {
    return <ul className="plain">{(c.fields ?? []).map((f) => <li key={f.field}><code>{f.field}</code>: {valueText(f.before)} → {valueText(f.after)}</li>)}</ul>;
  }
  const row = (c.op === 'added' ? c.after : c.before) ?? {};
  return <span>{Object.entries(row).filter(([, v]) => v !== null).map(([k, v]) => `${k}: ${valueText(v)}`).join(' · ')}</span>;
}

/**
 * What changed in one workflow's state between two Helsinki dates, each change with the audit event and
 * decision behind it. Only for the roles GET …/state/diff allows (auditor, admin): the caller decides.
 */
export function StateDiffPanel({ workflowId, startedAt, today = helsinkiToday() }: { workflowId: string; startedAt: string; today?: string }) {
  const { t } = useTranslation();
  const f = useFormat();
  // A bare date means the end of that Helsinki day, so the day before the start shows every change of the run.
  const [draft, setDraft] = useState(() => ({ from: addDays(helsinkiDate(Date.parse(startedAt)), -1), to: today }));
  const [diff, setDiff] = useState<StateDiff | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);

  const decidedOn = (at: string | null | undefined) => (at ? f.day(helsinkiDate(Date.parse(at))) : '—');

  async function show(e: FormEvent) {
    e.preventDefault();
    setLoading(true);
    try {
      setDiff(await stateDiff(workflowId, draft.from, draft.to));
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setLoading(false);
    }
  }

  return (
    <section className="card" aria-labelledby="state-diff-h" data-testid="state-diff-panel">
      <h2 id="state-diff-h">{t('stateDiff.title')}</h2>
      <p className="muted">{t('stateDiff.intro')}</p>
      <form className="filters" onSubmit={(e) => void show(e)} aria-label={t('stateDiff.filters')}>
        <label>{t('stateDiff.from')}<input type="date" required value={draft.from} onChange={(e) => setDraft((d) => ({ ...d, from: e.target.value }))} /></label>
        <label>{t('stateDiff.to')}<input type="date" required value={draft.to} onChange={(e) => setDraft((d) => ({ ...d, to: e.target.value }))} /></label>
        <button type="submit" disabled={loading}>{t('stateDiff.show')}</button>
      </form>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      {diff && !error && (
        <>
          <p role="status" data-testid="state-diff-summary">{t('stateDiff.summary', { count: diff.changes.length, from: f.day(draft.from), to: f.day(draft.to) })}</p>
          <table className="runs" aria-busy={loading} data-testid="state-diff">
            <caption className="visually-hidden">{t('stateDiff.caption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('stateDiff.section')}</th><th scope="col">{t('stateDiff.change')}</th>
                <th scope="col">{t('stateDiff.what')}</th><th scope="col">{t('stateDiff.cause')}</th><th scope="col">{t('stateDiff.decision')}</th>
              </tr>
            </thead>
            <tbody>
              {diff.changes.map((c) => (
                <tr key={`${c.section}/${c.key}/${c.op}`} data-section={c.section} data-key={c.key} data-op={c.op}>
                  <th scope="row">{t(`stateDiff.sections.${c.section}`, { defaultValue: c.section })} <span className="mono muted small">{c.key}</span></th>
                  <td>{t(`registryDiff.ops.${c.op}`)}</td>
                  <td><What c={c} /></td>
                  <td>{c.cause ? <><span className="mono">#{c.cause.seq}</span> <code>{c.cause.action}</code> <span className="muted small">{f.time(c.cause.occurredAt)}</span></> : '—'}</td>
                  <td>{c.decision ? `${c.decision.body}, ${decidedOn(c.decision.decidedAt)}${c.decision.reference ? ` (${c.decision.reference})` : ''}` : '—'}</td>
                </tr>
              ))}
              {diff.changes.length === 0 && <tr><td colSpan={5} className="muted">{t('stateDiff.empty')}</td></tr>}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
