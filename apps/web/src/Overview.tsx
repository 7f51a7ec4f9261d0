import { useEffect, useMemo, useRef, useState } from 'react';
import type { LiveEvent } from './App';
import { api, type Counts, type Filters, type ListItem, NO_FILTERS } from './api';
import { formatDate, KINDS, rag, STATUSES, toCsv } from './facts';
import { Progress, RagBadge } from './parts';

const PAGE = 50;

export function Overview({ live }: { live: LiveEvent | null }) {
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [query, setQuery] = useState<Filters>(NO_FILTERS);
  const [items, setItems] = useState<ListItem[]>([]);
  const [counts, setCounts] = useState<Counts | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
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
      (err: Error) => !cancelled && setError(err.message),
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
    <main>
      <h1>Overview</h1>
      <section className="counts" aria-label="Counts">
        <div className="card"><h2>By kind</h2><Chips entries={byKind} onPick={(k) => setFilters((f) => ({ ...f, kind: k }))} /></div>
        <div className="card"><h2>By status</h2><Chips entries={byStatus} onPick={(s) => setFilters((f) => ({ ...f, status: s }))} /></div>
        <div className="card total"><h2>Matching</h2><p className="big">{counts?.total ?? items.length}</p></div>
      </section>

      <form className="filters card" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>Search<input type="search" placeholder="title or key" value={filters.q} onChange={(e) => set('q')(e.target.value)} /></label>
        <label>Kind
          <select value={filters.kind} onChange={(e) => set('kind')(e.target.value)}>
            <option value="">all</option>{KINDS.map((k) => <option key={k}>{k}</option>)}
          </select>
        </label>
        <label>Status
          <select value={filters.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">all</option>{STATUSES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>Stage<input list="stages" value={filters.stage} onChange={(e) => set('stage')(e.target.value)} size={10} /></label>
        <datalist id="stages">{stages.map((s) => <option key={s} value={s} />)}</datalist>
        <label>Organisation<input value={filters.org} placeholder="business ID" onChange={(e) => set('org')(e.target.value)} size={10} /></label>
        <label>Waiting for<input value={filters.waitingFor} onChange={(e) => set('waitingFor')(e.target.value)} size={10} /></label>
        <label className="check"><input type="checkbox" checked={filters.overdue} onChange={(e) => set('overdue')(e.target.checked)} />Overdue only</label>
        <button type="button" className="secondary" onClick={() => setFilters(NO_FILTERS)}>Clear</button>
        <button type="button" className="secondary" onClick={exportCsv} disabled={!items.length}>Export CSV</button>
      </form>

      {error && <p className="error" role="alert">{error}</p>}
      <table className="runs" aria-busy={loading}>
        <thead>
          <tr><th scope="col">Health</th><th scope="col">Kind</th><th scope="col">Title</th><th scope="col">Status</th><th scope="col">Stage</th>
            <th scope="col">Progress</th><th scope="col">Next deadline</th><th scope="col">Waiting for</th></tr>
        </thead>
        <tbody>
          {items.map((w) => (
            <tr key={w.workflowId} data-workflow-id={w.workflowId}>
              <td><RagBadge rag={rag(w)} /></td>
              <td><span className="kind">{w.kind}</span></td>
              <td><a href={`#/w/${encodeURIComponent(w.workflowId)}`}>{w.title}</a><div className="muted small mono">{w.workflowId}</div></td>
              <td><span className={`status status-${w.status}`}>{w.status}</span></td>
              <td className="stage">{w.stage}</td>
              <td><Progress percent={w.percent} label={`${w.title} progress`} /></td>
              <td>{formatDate(w.nextDeadline)}</td>
              <td>{w.waitingFor.length ? w.waitingFor.join(', ') : <span className="muted">nobody</span>}</td>
            </tr>
          ))}
          {!items.length && !loading && <tr><td colSpan={8} className="muted empty">No workflows match.</td></tr>}
        </tbody>
      </table>
      {nextCursor && <p><button type="button" className="secondary" onClick={() => void more()}>Load more</button></p>}
    </main>
  );
}

function Chips({ entries, onPick }: { entries: [string, number][]; onPick: (value: string) => void }) {
  if (!entries.length) return <p className="muted">none</p>;
  return (
    <ul className="chips">
      {entries.map(([k, n]) => <li key={k}><button type="button" className="chip" onClick={() => onPick(k)}>{k} <strong>{n}</strong></button></li>)}
    </ul>
  );
}

function sortedEntries(counts: Record<string, number> | undefined): [string, number][] {
  return Object.entries(counts ?? {}).sort((a, b) => b[1] - a[1]);
}
