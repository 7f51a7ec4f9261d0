import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type ConsolidationAnswer } from './api';
import { apiErrorText } from './errors';
import { type Format, useFormat } from './format';
import { localName, OrgName } from './names';
import { orgHref } from './Organisations';
import { Progress, Status } from './parts';

type Party = ConsolidationAnswer['parties'][number];
type Names = ConsolidationAnswer['names'];

/**
 * A consolidation on its detail page: each party's decision chain as a sequence with dates, its
 * transfers as progress, what a carve-out moves and keeps, and the base-funding shares before and after
 * (a chart with a table as its text alternative). `seq` refetches on live progress.
 */
export function ConsolidationPanel({ workflowId, seq, reconciliation, onView }: {
  workflowId: string; seq: number; reconciliation?: unknown;
  /** Hands the loaded view up: the detail page names the decision bodies in the steps and approvals from it. */
  onView?: (view: ConsolidationAnswer) => void;
}) {
  const { t } = useTranslation();
  const f = useFormat();
  const [view, setView] = useState<ConsolidationAnswer | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let cancelled = false;
    api.consolidation(workflowId).then((v) => !cancelled && (setView(v), setError(null), onView?.(v)), (err: unknown) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
  }, [workflowId, seq, onView]);

  if (!view) {
    return (
      <section className="card" aria-labelledby="cons-h">
        <h2 id="cons-h">{t('consolidation.title')}</h2>
        {error ? <p className="error" role="alert">{apiErrorText(error, t)}</p> : <p className="muted">{t('app.loading')}</p>}
      </section>
    );
  }
  const name = (id: string) => <OrgOrId id={id} names={view.names} />;
  const transferring = view.parties.filter((p) => p.transfers);
  const carved = view.parties.filter((p) => p.municipalities || p.activities.length > 0);
  return (
    <div className="consolidation" data-testid="consolidation">
      <section className="card" aria-labelledby="chains-h">
        <h2 id="chains-h">{t('consolidation.chains')}</h2>
        <p className="muted small">{t('consolidation.chainsHelp', { date: f.day(view.effectiveDate) })}</p>
        {view.parties.map((p) => <Chain key={p.businessId} party={p} name={name(p.businessId)} />)}
      </section>

      <section className="card" aria-labelledby="transfers-h">
        <h2 id="transfers-h">{t('consolidation.transfers')}</h2>
        <table className="transfers">
          <thead><tr><th scope="col">{t('consolidation.party')}</th><th scope="col">{t('consolidation.staff')}</th>
            <th scope="col">{t('consolidation.agreements')}</th><th scope="col">{t('consolidation.projects')}</th></tr></thead>
          <tbody>
            {transferring.map((p) => (
              <tr key={p.businessId} data-party={p.businessId}>
                <th scope="row">{name(p.businessId)}</th>
                {(['staff', 'agreements', 'projects'] as const).map((kind) => {
                  const c = p.transfers?.[kind] ?? { total: 0, transferred: 0, kept: 0 };
                  return (
                    <td key={kind} data-kind={kind}>
                      <Progress percent={c.total ? (100 * (c.transferred + c.kept)) / c.total : 100} label={t('consolidation.progressOf', { what: t(`consolidation.${kind}`), party: p.label })} />
                      <span className="small">{t('consolidation.moved', { moved: c.transferred, total: c.total })}{c.kept ? ` · ${t('consolidation.kept', { count: c.kept })}` : ''}</span>
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </section>

      {carved.length > 0 && (
        <section className="card" aria-labelledby="carve-h">
          <h2 id="carve-h">{t('consolidation.carveOut')}</h2>
          <div className="carve">
            {carved.map((p) => (
              <div key={p.businessId} className="carve-party" data-party={p.businessId}>
                <h3>{name(p.businessId)} <span className="muted">({t(`consolidation.role.${p.role}`)})</span></h3>
                <div className="carve-cols">
                  <div>
                    <h4>{t('consolidation.moves')} {name(view.receiving.businessId)}</h4>
                    <ul data-testid="moving">{(p.municipalities?.moving ?? []).map((m) => <li key={m}>{name(m)}</li>)}
                      {p.activities.map((a) => <li key={a} lang="en">{a}</li>)}</ul>
                    {!p.municipalities?.moving.length && !p.activities.length && <p className="muted small">{t('consolidation.nothing')}</p>}
                  </div>
                  <div>
                    <h4>{t('consolidation.stays')}</h4>
                    <ul data-testid="staying">{(p.municipalities?.staying ?? []).map((m) => <li key={m}>{name(m)}</li>)}</ul>
                    {!p.municipalities?.staying.length && <p className="muted small">{t('consolidation.nothingStays')}</p>}
                  </div>
                </div>
              </div>
            ))}
          </div>
        </section>
      )}

      <section className="card" aria-labelledby="funding-h">
        <h2 id="funding-h">{t('consolidation.funding')}</h2>
        {view.funding ? <Funding funding={view.funding} names={view.names} /> : <p className="muted">{t('consolidation.noFunding')} <span lang="en">{view.fundingNote}</span></p>}
      </section>

      {reconciliation !== undefined && reconciliation !== null && <Reconciliation report={reconciliation} />}
    </div>
  );
}

function OrgOrId({ id, names }: { id: string; names: Names }) {
  const org = names[id];
  return <Link to={orgHref(id)}>{org ? <OrgName org={org} /> : <span className="mono">{id}</span>}</Link>;
}

function chainDate(step: Party['chain'][number], f: Format, t: (k: string, o?: Record<string, unknown>) => string): string {
  if (step.decidedAt) return t('consolidation.decidedOn', { date: f.dateTime(step.decidedAt) });
  if (step.dueAt) return t('consolidation.dueBy', { date: f.dateTime(step.dueAt) });
  return t('consolidation.notOpen');
}

/** One party's bodies in the order they decide; the host decides after every other party. */
function Chain({ party, name }: { party: Party; name: ReactNode }) {
  const { t } = useTranslation();
  const f = useFormat();
  return (
    <div className="chain-party" data-party={party.businessId}>
      <h3>{name} <span className="muted">({t(`consolidation.role.${party.role}`)})</span></h3>
      <ol className="chain" aria-label={t('consolidation.chainOf', { party: party.label })}>
        {party.chain.map((s) => (
          <li key={s.key} className={`chain-step chain-${s.status}`} data-body={s.key} data-status={s.status}>
            <BodyName step={s} />
            <Status status={s.status} />
            <span className="small muted">{chainDate(s, f, t)}</span>
            {s.reference && <span className="small mono">{s.reference}</span>}
          </li>
        ))}
      </ol>
    </div>
  );
}

/**
 * A body by the registry's name in the UI language; without one, as the launch named it (in whatever
 * language that was written, so no `lang` is claimed for it).
 */
function BodyName({ step }: { step: Party['chain'][number] }) {
  const { i18n } = useTranslation();
  const lang = i18n.language;
  const named = step.names ? (lang === 'fi' ? step.names.fi : lang === 'sv' ? step.names.sv : step.names.en) : null;
  return named ? <strong data-named="registry">{named}</strong> : <strong>{step.body}</strong>;
}

const BAR_H = 14;
const ROW_H = 44;
const LABEL_W = 230;
const CHART_W = 720;

/** Shares before and after as paired bars; the table below says the same in text (and in euros). */
function Funding({ funding, names }: { funding: NonNullable<ConsolidationAnswer['funding']>; names: Names }) {
  const { t, i18n } = useTranslation();
  const f = useFormat();
  const max = Math.max(0.0001, ...funding.rows.flatMap((r) => [r.before?.share ?? 0, r.after?.share ?? 0]));
  const w = (share: number) => ((CHART_W - LABEL_W - 70) * share) / max;
  const pct = (share: number | undefined) => (share === undefined ? '—' : `${f.number(Number((share * 100).toFixed(1)))} %`);
  // The chart's labels are the short names ("Socca", not "Socca – Pääkaupunkiseudun …"); the table gives the whole name.
  const label = (id: string) => localName(names[id] ?? { name: id }, i18n.language).text.split(' – ')[0] ?? id;
  const height = funding.rows.length * ROW_H + 30;
  return (
    <>
      <svg className="funding" viewBox={`0 0 ${CHART_W} ${height}`} role="img" aria-labelledby="funding-title funding-desc">
        <title id="funding-title">{t('consolidation.fundingTitle')}</title>
        <desc id="funding-desc">{funding.rows.map((r) => t('consolidation.fundingRow', { centre: label(r.centre), before: pct(r.before?.share), after: pct(r.after?.share) })).join('; ')}</desc>
        <g transform="translate(0, 8)">
          <rect x={LABEL_W} y={0} width={12} height={10} fill="#b7c7de" />
          <text x={LABEL_W + 16} y={9} fontSize={11} fill="#1d2330">{t('consolidation.before')}</text>
          <rect x={LABEL_W + 110} y={0} width={12} height={10} fill="#234e8c" />
          <text x={LABEL_W + 126} y={9} fontSize={11} fill="#1d2330">{t('consolidation.after')}</text>
        </g>
        {funding.rows.map((r, i) => {
          const y = 28 + i * ROW_H;
          return (
            <g key={r.centre} data-centre={r.centre}>
              <text x={0} y={y + BAR_H + 2} fontSize={12} fill="#1d2330">{label(r.centre).slice(0, 36)}</text>
              <rect x={LABEL_W} y={y} width={w(r.before?.share ?? 0)} height={BAR_H} fill="#b7c7de" />
              <text x={LABEL_W + w(r.before?.share ?? 0) + 4} y={y + 11} fontSize={11} fill="#1d2330">{pct(r.before?.share)}</text>
              <rect x={LABEL_W} y={y + BAR_H + 2} width={w(r.after?.share ?? 0)} height={BAR_H} fill="#234e8c" />
              <text x={LABEL_W + w(r.after?.share ?? 0) + 4} y={y + BAR_H + 13} fontSize={11} fill="#1d2330">{r.after ? pct(r.after.share) : t('consolidation.absorbed')}</text>
            </g>
          );
        })}
      </svg>
      <table className="funding-table">
        <caption className="visually-hidden">{t('consolidation.fundingTitle')}</caption>
        <thead><tr><th scope="col">{t('consolidation.centre')}</th><th scope="col" className="num">{t('consolidation.before')}</th><th scope="col" className="num">{t('consolidation.after')}</th>
          <th scope="col" className="num">{t('consolidation.eurosBefore')}</th><th scope="col" className="num">{t('consolidation.eurosAfter')}</th></tr></thead>
        <tbody>
          {funding.rows.map((r) => (
            <tr key={r.centre} data-centre={r.centre}>
              <th scope="row"><OrgOrId id={r.centre} names={names} /></th>
              <td className="num">{pct(r.before?.share)}</td>
              <td className="num">{r.after ? pct(r.after.share) : t('consolidation.absorbed')}</td>
              <td className="num">{r.before ? f.euros(r.before.cents) : '—'}</td>
              <td className="num">{r.after ? f.euros(r.after.cents) : '—'}</td>
            </tr>
          ))}
        </tbody>
        <tfoot><tr><th scope="row">{t('organisations.total')}</th><td /><td /><td className="num" colSpan={2}>{f.euros(funding.totalCents)}</td></tr></tfoot>
      </table>
    </>
  );
}

/**
 * The reconciliation report, where the detail carries one (another part of Fuusio adds it): shown as
 * the facts it states, whatever their names, so a new field needs no change here.
 */
function Reconciliation({ report }: { report: unknown }) {
  const { t } = useTranslation();
  const entries = typeof report === 'object' && report !== null ? Object.entries(report as Record<string, unknown>) : [['', report] as const];
  return (
    <section className="card" aria-labelledby="recon-h" data-testid="reconciliation">
      <h2 id="recon-h">{t('consolidation.reconciliation')}</h2>
      <dl className="facts" lang="en">
        {entries.map(([k, v]) => <div key={k}><dt className="mono">{k}</dt><dd className="mono">{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd></div>)}
      </dl>
    </section>
  );
}
