import { type FormEvent, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { LiveEvent } from './App';
import { api, type ListItem, NO_FILTERS, type Organisation, type Shareholders } from './api';
import { apiErrorText } from './errors';
import { ragOf } from './facts';
import { type Format, useFormat } from './format';
import { OrgName, StageName } from './names';
import { KindLabel, Progress, RagBadge, Status } from './parts';
import { useWorkflowText } from './workflowText';

const ORG_KINDS = ['company', 'centre', 'municipality', 'wellbeing-county', 'uas', 'university', 'foundation', 'association',
  'research-institute', 'ministry', 'funding-authority', 'joint-authority'];

export const orgHref = (businessId: string) => `/organisations/${encodeURIComponent(businessId)}`;

function validity(o: Organisation, f: Format, now: string): string {
  return `${f.day(o.validFrom)} – ${o.validTo ? f.day(o.validTo) : now}`;
}

export function OrganisationsList() {
  const { t } = useTranslation();
  const f = useFormat();
  const [draft, setDraft] = useState({ kind: '', region: '', at: '' });
  const [filter, setFilter] = useState(draft);
  const [items, setItems] = useState<Organisation[]>([]);
  const [nextAfter, setNextAfter] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
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
      (err: Error) => !cancelled && setError(err),
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
    <>
      <h1>{t('organisations.title')}</h1>
      <form className="filters card" onSubmit={apply} aria-label={t('organisations.filters')}>
        <label>{t('organisations.kind')}
          <select value={draft.kind} onChange={(e) => {
            const next = { ...draft, kind: e.target.value };
            setDraft(next);
            setFilter(next);
          }}>
            <option value="">{t('orgKind.all')}</option>{ORG_KINDS.map((k) => <option key={k} value={k}>{t(`orgKind.${k}`)}</option>)}
          </select>
        </label>
        <label>{t('organisations.region')}<input value={draft.region} onChange={(e) => setDraft((d) => ({ ...d, region: e.target.value }))} placeholder={t('organisations.regionPlaceholder')} /></label>
        <label>{t('organisations.validOn')}<input type="date" value={draft.at} onChange={(e) => setDraft((d) => ({ ...d, at: e.target.value }))} /></label>
        <button type="submit">{t('organisations.filter')}</button>
        <button type="button" className="secondary" onClick={() => { const none = { kind: '', region: '', at: '' }; setDraft(none); setFilter(none); }}>{t('organisations.clear')}</button>
      </form>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      <table className="runs orgs" aria-busy={loading}>
        <thead>
          <tr><th scope="col">{t('organisations.name')}</th><th scope="col">{t('organisations.businessId')}</th><th scope="col">{t('organisations.kind')}</th><th scope="col">{t('organisations.region')}</th>
            <th scope="col">{t('organisations.population')}</th><th scope="col">{t('organisations.valid')}</th></tr>
        </thead>
        <tbody>
          {items.map((o) => (
            <tr key={o.businessId} data-business-id={o.businessId}>
              <td><Link to={orgHref(o.businessId)}><OrgName org={o} /></Link>{o.mergedInto ? <span className="muted small"> {t('organisations.merged')}</span> : null}</td>
              <td className="mono">{o.businessId}</td>
              <td><span className="kind">{t(`orgKind.${o.kind}`, { defaultValue: o.kind })}</span></td>
              <td>{o.region ?? '—'}</td>
              <td className="num">{f.number(o.population)}</td>
              <td>{validity(o, f, t('organisations.now'))}</td>
            </tr>
          ))}
          {!items.length && !loading && <tr><td colSpan={6} className="muted empty">{t('organisations.empty')}</td></tr>}
        </tbody>
      </table>
      {nextAfter && <p><button type="button" className="secondary" onClick={() => void more()}>{t('organisations.more')}</button></p>}
    </>
  );
}

type Holding = { company: Organisation; shares: number; of: number };

export function OrganisationPage({ businessId, live }: { businessId: string; live: LiveEvent | null }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const f = useFormat();
  const [org, setOrg] = useState<Organisation | null>(null);
  const [mergedInto, setMergedInto] = useState<Organisation | null>(null);
  const [error, setError] = useState<unknown>(null);
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
    }, (err: Error) => !cancelled && setError(err));
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

  if (error && !org) return <><p><Link to="/organisations">{t('organisations.back')}</Link></p><p className="error" role="alert">{apiErrorText(error, t)}</p></>;
  if (!org) return <p className="muted">{t('app.loading')}</p>;

  return (
    <div className="organisation">
      <p><Link to="/organisations">{t('organisations.back')}</Link></p>
      <h1><OrgName org={org} /></h1>
      <dl className="facts org-facts">
        <div><dt>{t('organisations.businessId')}</dt><dd className="mono">{org.businessId}</dd></div>
        <div><dt>{t('organisations.kind')}</dt><dd>{t(`orgKind.${org.kind}`, { defaultValue: org.kind })}</dd></div>
        <div><dt>{t('organisations.region')}</dt><dd>{org.region ?? '—'}</dd></div>
        <div><dt>{t('organisations.population')}</dt><dd>{f.number(org.population)}</dd></div>
        <div><dt>{t('organisations.valid')}</dt><dd>{validity(org, f, t('organisations.now'))}</dd></div>
        <div><dt>{t('organisations.mergedInto')}</dt><dd>{org.mergedInto
          ? <Link to={orgHref(org.mergedInto)}>{mergedInto ? <OrgName org={mergedInto} /> : org.mergedInto}</Link>
          : '—'}</dd></div>
      </dl>

      {holders && (
        <section className="card" aria-labelledby="holders-h">
          <h2 id="holders-h">{t('organisations.shareholders')}</h2>
          <p className="muted small">{t('organisations.holdersSummary', { date: f.day(holders.at), holders: f.number(holders.totals.holders), held: f.number(holders.totals.sharesHeld), issued: f.number(holders.totals.sharesIssued) })}</p>
          <table className="holders">
            <thead><tr><th scope="col">{t('organisations.holder')}</th><th scope="col">{t('organisations.businessId')}</th><th scope="col" className="num">{t('organisations.shares')}</th>
              <th scope="col" className="num">{t('organisations.shareOfIssued')}</th><th scope="col">{t('organisations.shareNumbers')}</th></tr></thead>
            <tbody>
              {holders.holders.map((h) => (
                <tr key={h.businessId} data-holder={h.businessId}>
                  <td><Link to={orgHref(h.businessId)}>{h.name}</Link></td>
                  <td className="mono">{h.businessId}</td>
                  <td className="num">{f.number(h.shares)}</td>
                  <td className="num">{holders.totals.sharesIssued ? `${f.number(Number(((100 * h.shares) / holders.totals.sharesIssued).toFixed(2)))} %` : '—'}</td>
                  <td className="mono">{h.ranges.map((r) => (r.first === r.last ? `${r.first}` : `${r.first}–${r.last}`)).join(', ')}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr><th scope="row">{t('organisations.total')}</th><td>{t('organisations.holdersCount', { count: holders.totals.holders })}</td><td className="num" data-testid="shares-held">{f.number(holders.totals.sharesHeld)}</td>
                <td className="num">{t('organisations.ofIssued', { issued: f.number(holders.totals.sharesIssued) })}</td><td /></tr>
            </tfoot>
          </table>
        </section>
      )}

      <section className="card" aria-labelledby="holdings-h">
        <h2 id="holdings-h">{t('organisations.shareholdings')}</h2>
        {holdings === null && <p className="muted">{t('organisations.lookingThrough')}</p>}
        {holdings?.length === 0 && <p className="muted">{t('organisations.holdsNone')}</p>}
        {holdings && holdings.length > 0 && (
          <ul className="plain">
            {holdings.map((h) => (
              <li key={h.company.businessId}>{t('organisations.holdsPrefix')} <strong>{f.number(h.shares)}</strong> {t('organisations.holds', { of: f.number(h.of) })}
                {' '}<Link to={orgHref(h.company.businessId)}>{h.company.name}</Link></li>
            ))}
          </ul>
        )}
      </section>

      <section className="card" aria-labelledby="org-runs-h">
        <h2 id="org-runs-h">{t('organisations.workflows')}</h2>
        {runs === null && <p className="muted">{t('app.loading')}</p>}
        {runs?.length === 0 && <p className="muted">{t('organisations.noWorkflows')}</p>}
        {runs && runs.length > 0 && (
          <table className="runs org-runs">
            <thead><tr><th scope="col">{t('overview.health')}</th><th scope="col">{t('overview.kind')}</th><th scope="col">{t('overview.titleCol')}</th><th scope="col">{t('overview.status')}</th>
              <th scope="col">{t('overview.stage')}</th><th scope="col">{t('overview.progress')}</th><th scope="col">{t('overview.nextDeadline')}</th></tr></thead>
            <tbody>
              {runs.map((w) => (
                <tr key={w.workflowId} data-workflow-id={w.workflowId}>
                  <td><RagBadge rag={ragOf(w)} /></td>
                  <td><KindLabel kind={w.kind} /></td>
                  <td><Link to={`/w/${encodeURIComponent(w.workflowId)}`}>{text.title(w)}</Link></td>
                  <td><Status status={w.status} /></td>
                  <td className="stage" data-stage={w.stage}><StageName stage={w.stage} /></td>
                  <td><Progress percent={w.percent} label={t('overview.progressOf', { title: text.title(w) })} /></td>
                  <td>{f.dateTime(w.nextDeadline)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {moreRuns && <p className="small"><Link to="/overview">{t('organisations.moreInOverview')}</Link> {t('organisations.filterBy', { id: org.businessId })}</p>}
      </section>
    </div>
  );
}
