import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LiveEvent } from './App';
import { api, type Counts, type Filters, type ListItem, NO_FILTERS } from './api';
import { apiErrorText } from './errors';
import { KINDS, ragOf, STATUSES, toCsv } from './facts';
import { useFormat } from './format';
import { StageName } from './names';
import { KindLabel, Progress, RagBadge, Status } from './parts';
import { useWorkflowText } from './workflowText';

const PAGE = 50;

export function Overview({ live }: { live: LiveEvent | null }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const f = useFormat();
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [query, setQuery] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<ListItem[]>([]);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const shown = useRef(PAGE);

  // Typing settles for a moment before the list is asked again.
  useEffect(() => {
    const t = setTimeout(() => setQuery(filters), 250);
    return () => clearTimeout(t);
  }, [filters]);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.counts(query).then((c) => !cancelled && setCounts(c), () => undefined);
    api.list(query, null, Math.min(200, Math.max(PAGE, shown.current))).then(
      (page) => {
        if (cancelled) return;
        setItems(page.items);
        setNextCursor(page.nextCursor);
        setError(null);
      },
      (err: Error) => !cancelled && setError(err),
    ).finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [query, live?.seq]);

  useEffect(() => {
    shown.current = PAGE;
  }, [query]);

  async function more() {
    if (!nextCursor) return;
    const page = await api.list(query, nextCursor, PAGE);
    setItems((prev) => {
      const next = [...prev, ...page.items];
      shown.current = next.length;
      return next;
    });
    setNextCursor(page.nextCursor);
  }

  function exportCsv() {
    const url = URL.createObjectURL(new Blob([toCsv(items)], { type: 'text/csv' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'fuusio-workflows.csv';
    a.click();
    URL.revokeObjectURL(url);
  }

  const set = <K extends keyof Filters>(key: K) => (value: Filters[K]) => setFilters((f) => ({ ...f, [key]: value }));
  const byKind = useMemo(() => sortedEntries(counts?.byKind), [counts]);
  const byStatus = useMemo(() => sortedEntries(counts?.byStatus), [counts]);
  const stages = useMemo(() => [...new Set(items.map((i) => i.stage))].sort(), [items]);

  return (
    <>
      <h1>{t('overview.title')}</h1>
      <section className="counts" aria-label={t('overview.counts')}>
        <div className="card"><h2>{t('overview.byKind')}</h2><Chips entries={byKind} label={(k) => t(`kind.${k}`, { defaultValue: k })} onPick={(k) => setFilters((f) => ({ ...f, kind: k }))} /></div>
        <div className="card"><h2>{t('overview.byStatus')}</h2><Chips entries={byStatus} label={(s) => t(`status.${s}`, { defaultValue: s })} onPick={(s) => setFilters((f) => ({ ...f, status: s }))} /></div>
        <div className="card total"><h2>{t('overview.matching')}</h2><p className="big">{counts?.total ?? items.length}</p></div>
      </section>

      <form className="filters card" role="search" aria-label={t('overview.search')} onSubmit={(e) => e.preventDefault()}>
        <label>{t('overview.search')}<input type="search" placeholder={t('overview.searchPlaceholder')} value={filters.q} onChange={(e) => set('q')(e.target.value)} /></label>
        <label>{t('overview.kind')}
          <select value={filters.kind} onChange={(e) => set('kind')(e.target.value)}>
            <option value="">{t('kind.all')}</option>{KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
          </select>
        </label>
        <label>{t('overview.status')}
          <select value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('status.all')}</option>{STATUSES.map((s) => <option key={s} value={s}>{t(`status.${s}`)}</option>)}
          </select>
        </label>
        <label>{t('overview.stage')}<input list="stages" value={filters.stage} onChange={(e) => set('stage')(e.target.value)} size={10} /></label>
        <datalist id="stages">{stages.map((s) => <option key={s} value={s} />)}</datalist>
        <label>{t('overview.organisation')}<input value={filters.org} placeholder={t('overview.businessIdPlaceholder')} onChange={(e) => set('org')(e.target.value)} size={10} /></label>
        <label>{t('overview.waitingFor')}<input value={filters.waitingFor} onChange={(e) => set('waitingFor')(e.target.value)} size={10} /></label>
        <label className="check"><input type="checkbox" checked={filters.overdue} onChange={(e) => set('overdue')(e.target.checked)} />{t('overview.overdueOnly')}</label>
        <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)}>{t('overview.clear')}</button>
        <button type="button" className="secondary" onClick={exportCsv} disabled={!items.length}>{t('overview.exportCsv')}</button>
      </form>

      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      <table className="runs" aria-busy={loading}>
        <thead>
          <tr><th scope="col">{t('overview.health')}</th><th scope="col">{t('overview.kind')}</th><th scope="col">{t('overview.titleCol')}</th><th scope="col">{t('overview.status')}</th><th scope="col">{t('overview.stage')}</th>
            <th scope="col">{t('overview.progress')}</th><th scope="col">{t('overview.nextDeadline')}</th><th scope="col">{t('overview.waitingFor')}</th></tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.workflowId} data-workflow-id={w.workflowId}>
              <td><RagBadge rag={ragOf(w)} /></td>
              <td><KindLabel kind={w.kind} /></td>
              <td><Link to={`/w/${encodeURIComponent(w.workflowId)}`}>{text.title(w)}</Link><div className="muted small mono">{w.workflowId}</div></td>
              <td><Status status={w.status} /></td>
              <td className="stage" data-stage={w.stage}><StageName stage={w.stage} /></td>
              <td><Progress percent={w.percent} label={t('overview.progressOf', { title: text.title(w) })} /></td>
              <td>{f.dateTime(w.nextDeadline)}</td>
              <td>{w.waitingFor.length ? w.waitingFor.map((x) => text.waiting(w, x)).join(', ') : <span className="muted">{t('overview.nobody')}</span>}</td>
            </tr>
          ))}
          {!items.length && !loading && <tr><td colSpan={8} className="muted empty">{t('overview.empty')}</td></tr>}
        </tbody>
      </table>
      {nextCursor && <p><button type="button" className="secondary" onClick={() => void more()}>{t('overview.more')}</button></p>}
    </>
  );
}

function Chips({ entries, onPick, label }: { entries: [string, number][]; onPick: (value: string) => void; label: (value: string) => string }) {
  const { t } = useTranslation();
  if (!entries.length) return <p className="muted">{t('overview.none')}</p>;
  return (
    <ul className="chips">
      {entries.map(([k, n]) => <li key={k}><button type="button" className="chip" onClick={() => onPick(k)}>{label(k)} <strong>{n}</strong></button></li>)}
    </ul>
  );
}

function sortedEntries(counts: Record<string, number> | undefined): [string, number][] {
  return Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);
}
