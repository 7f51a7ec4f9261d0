import { type FormEvent, useEffect, useState } from 'react';
import type { LiveEvent } from './App';
import { api, type ListItem, NO_FILTERS, type Organisation, type Shareholders } from './api';
import { formatDate, rag } from './facts';
import { Progress, RagBadge } from './parts';

const ORG_KINDS = ['company', 'centre', 'municipality', 'wellbeing-county', 'uas', 'university', 'foundation', 'association',
  'research-institute', 'ministry', 'funding-authority', 'joint-authority'];

export const orgHref = (businessId: string) => `#/organisations/${encodeURIComponent(businessId)}`;

function validity(o: Organisation): string {
  return `${o.validFrom} – ${o.validTo ?? 'now'}`;
}

export function OrganisationsList() {
  const [draft, setDraft] = useState({ kind: '', region: '', at: '' });
  const [filter, setFilter] = useState(draft);
  const [items, setItems] = useState<Organisation[]>([]);
  const [nextAfter, setNextAfter] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);

  useEffect(() => {
    let cancelled = false;
    setLoading(true);
    api.organisations(filter).then(
      (r) => {
        if (cancelled) return;
        setItems(r.items);
        setNextAfter(r.nextAfter);
        setError(null);
      },
      (err: Error) => !cancelled && setError(err.message),
    ).finally(() => !cancelled && setLoading(false));
    return () => {
      cancelled = true;
    };
  }, [filter]);

  async function more() {
    if (!nextAfter) return;
    const r = await api.organisations({ ...filter, after: nextAfter });
    setItems((prev) => [...prev, ...r.items]);
    setNextAfter(r.nextAfter);
  }

  function apply(e: FormEvent) {
    e.preventDefault();
    setFilter(draft);
  }

  return (
    <main>
      <h1>Organisations</h1>
      <form className="filters card" onSubmit={apply} aria-label="Organisation filters">
        <label>Kind
          <select value={draft.kind} onChange={(e) => {
            const next = { ...draft, kind: e.target.value };
            setDraft(next);
            setFilter(next);
          }}>
            <option value="">all</option>{ORG_KINDS.map((k) => <option key={k}>{k}</option>)}
          </select>
        </label>
        <label>Region<input value={draft.region} onChange={(e) => setDraft((d) => ({ ...d, region: e.target.value }))} placeholder="e.g. Uusimaa" /></label>
        <label>Valid on<input type="date" value={draft.at} onChange={(e) => setDraft((d) => ({ ...d, at: e.target.value }))} /></label>
        <button type="submit">Filter</button>
        <button type="button" className="secondary" onClick={() => { const none = { kind: '', region: '', at: '' }; setDraft(none); setFilter(none); }}>Clear</button>
      </form>
      {error && <p className="error" role="alert">{error}</p>}
      <table className="runs orgs" aria-busy={loading}>
        <thead>
          <tr><th scope="col">Name</th><th scope="col">Business ID</th><th scope="col">Kind</th><th scope="col">Region</th>
            <th scope="col">Population</th><th scope="col">Valid</th></tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.businessId} data-business-id={o.businessId}>
              <td><a href={orgHref(o.businessId)}>{o.name}</a>{o.mergedInto ? <span className="muted small"> (merged)</span> : null}</td>
              <td className="mono">{o.businessId}</td>
              <td><span className="kind">{o.kind}</span></td>
              <td>{o.region ?? '—'}</td>
              <td className="num">{o.population?.toLocaleString('fi-FI') ?? '—'}</td>
              <td>{validity(o)}</td>
            </tr>
          ))}
          {!items.length && !loading && <tr><td colSpan={6} className="muted empty">No organisations match.</td></tr>}
        </tbody>
      </table>
      {nextAfter && <p><button type="button" className="secondary" onClick={() => void more()}>Load more</button></p>}
    </main>
  );
}

type Holding = { company: Organisation; shares: number; of: number };

export function OrganisationPage({ businessId, live }: { businessId: string; live: LiveEvent | null }) {
  const [org, setOrg] = useState<Organisation | null>(null);
  const [mergedInto, setMergedInto] = useState<Organisation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [runs, setRuns] = useState<ListItem[] | null>(null);
  const [moreRuns, setMoreRuns] = useState(false);
  const [holders, setHolders] = useState<Shareholders | null>(null);
  const [holdings, setHoldings] = useState<Holding[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    setOrg(null);
    setHolders(null);
    setHoldings(null);
    setMergedInto(null);
    api.organisation(businessId).then(async (o) => {
      if (cancelled) return;
      setOrg(o);
      setError(null);
      if (o.mergedInto) api.organisation(o.mergedInto).then((m) => !cancelled && setMergedInto(m), () => undefined);
      if (o.kind === 'company') api.shareholders(businessId).then((s) => !cancelled && setHolders(s), () => undefined);
      // Which companies this organisation holds shares in: there is no endpoint by holder, so ask each company's register.
      const companies = (await api.organisations({ kind: 'company', limit: 50 }).catch(() => ({ items: [] as Organisation[] }))).items;
      const found: Holding[] = [];
      await Promise.all(companies.filter((c) => c.businessId !== businessId).map(async (c) => {
        const s = await api.shareholders(c.businessId).catch(() => null);
        const mine = s?.holders.find((h) => h.businessId === businessId);
        if (s && mine) found.push({ company: c, shares: mine.shares, of: s.totals.sharesIssued });
      }));
      if (!cancelled) setHoldings(found);
    }, (err: Error) => !cancelled && setError(err.message));
    return () => {
      cancelled = true;
    };
  }, [businessId]);

  useEffect(() => {
    let cancelled = false;
    api.list({ ...NO_FILTERS, org: businessId }, null, 100).then(
      (r) => !cancelled && (setRuns(r.items), setMoreRuns(!!r.nextCursor)),
      () => !cancelled && setRuns([]),
    );
    return () => {
      cancelled = true;
    };
  }, [businessId, live?.seq]);

  if (error && !org) return <main><p><a href="#/organisations">← Organisations</a></p><p className="error" role="alert">{error}</p></main>;
  if (!org) return <main><p className="muted">Loading…</p></main>;

  return (
    <main className="organisation">
      <p><a href="#/organisations">← Organisations</a></p>
      <h1>{org.name}</h1>
      <dl className="facts org-facts">
        <div><dt>Business ID</dt><dd className="mono">{org.businessId}</dd></div>
        <div><dt>Kind</dt><dd>{org.kind}</dd></div>
        <div><dt>Region</dt><dd>{org.region ?? '—'}</dd></div>
        <div><dt>Population</dt><dd>{org.population?.toLocaleString('fi-FI') ?? '—'}</dd></div>
        <div><dt>Valid</dt><dd>{validity(org)}</dd></div>
        <div><dt>Merged into</dt><dd>{org.mergedInto
          ? <a href={orgHref(org.mergedInto)}>{mergedInto?.name ?? org.mergedInto}</a>
          : '—'}</dd></div>
      </dl>

      {holders && (
        <section className="card" aria-labelledby="holders-h">
          <h2 id="holders-h">Shareholders</h2>
          <p className="muted small">On {holders.at}: {holders.totals.holders} holders hold {holders.totals.sharesHeld.toLocaleString('fi-FI')} of
            {' '}{holders.totals.sharesIssued.toLocaleString('fi-FI')} shares issued.</p>
          <table className="holders">
            <thead><tr><th scope="col">Holder</th><th scope="col">Business ID</th><th scope="col" className="num">Shares</th>
              <th scope="col" className="num">Share of issued</th><th scope="col">Share numbers</th></tr></thead>
            <tbody>
              {holders.holders.map((h) => (
                <tr key={h.businessId} data-holder={h.businessId}>
                  <td><a href={orgHref(h.businessId)}>{h.name}</a></td>
                  <td className="mono">{h.businessId}</td>
                  <td className="num">{h.shares.toLocaleString('fi-FI')}</td>
                  <td className="num">{holders.totals.sharesIssued ? `${((100 * h.shares) / holders.totals.sharesIssued).toFixed(2)} %` : '—'}</td>
                  <td className="mono">{h.ranges.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`)).join(', ')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr><th scope="row">Total</th><td>{holders.totals.holders} holders</td><td className="num" data-testid="shares-held">{holders.totals.sharesHeld.toLocaleString('fi-FI')}</td>
                <td className="num">of {holders.totals.sharesIssued.toLocaleString('fi-FI')} issued</td><td /></tr>
            </tfoot>
          </table>
        </section>
      )}

      <section className="card" aria-labelledby="holdings-h">
        <h2 id="holdings-h">Shareholdings</h2>
        {holdings === null && <p className="muted">Looking through the share registers…</p>}
        {holdings?.length === 0 && <p className="muted">Holds no shares in the companies in the registry.</p>}
        {holdings && holdings.length > 0 && (
          <ul className="plain">
            {holdings.map((h) => (
              <li key={h.company.businessId}>Holds <strong>{h.shares.toLocaleString('fi-FI')}</strong> of {h.of.toLocaleString('fi-FI')} shares
                in <a href={orgHref(h.company.businessId)}>{h.company.name}</a></li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="org-runs-h">
        <h2 id="org-runs-h">Workflows</h2>
        {runs === null && <p className="muted">Loading…</p>}
        {runs?.length === 0 && <p className="muted">No workflows involve this organisation.</p>}
        {runs && runs.length > 0 && (
          <table className="runs org-runs">
            <thead><tr><th scope="col">Health</th><th scope="col">Kind</th><th scope="col">Title</th><th scope="col">Status</th>
              <th scope="col">Stage</th><th scope="col">Progress</th><th scope="col">Next deadline</th></tr></thead>
            <tbody>
              {runs.map((w) => (
                <tr key={w.workflowId} data-workflow-id={w.workflowId}>
                  <td><RagBadge rag={rag(w)} /></td>
                  <td><span className="kind">{w.kind}</span></td>
                  <td><a href={`#/w/${encodeURIComponent(w.workflowId)}`}>{w.title}</a></td>
                  <td><span className={`status status-${w.status}`}>{w.status}</span></td>
                  <td className="stage">{w.stage}</td>
                  <td><Progress percent={w.percent} label={`${w.title} progress`} /></td>
                  <td>{formatDate(w.nextDeadline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {moreRuns && <p className="small"><a href="#/">More in the overview</a> (filter by organisation {org.businessId}).</p>}
      </section>
    </main>
  );
}
