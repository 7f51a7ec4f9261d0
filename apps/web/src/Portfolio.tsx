import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { helsinkiDate } from '../../../libs/domain/helsinki-time';
import type { LiveEvent } from './App';
import { api, type Detail, type ListItem, NO_FILTERS } from './api';
import { apiErrorText } from './errors';
import { KINDS } from './facts';
import { type Format, useFormat } from './format';
import { useStageName } from './names';
import { KindLabel, Status } from './parts';
import { download, pngFromSvg, svgDocument } from './svg-export';
import { ticks, type Timeline, timelineOf } from './timeline';
import { useWorkflowText } from './workflowText';

/** How many workflows are on the chart when the page opens (the most recently updated). */
const FIRST_SELECTION = 8;

/**
 * The portfolio timeline: every selected workflow's stages as a Gantt chart (planned against actual,
 * with today's line), exportable as SVG and PNG, and the same facts as a table for reading without the chart.
 */
export function PortfolioPage({ live }: { live: LiveEvent | null }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const [kind, setKind] = useState('');
  const [items, setItems] = useState<ListItem[] | null>(null);
  const [selected, setSelected] = useState<string[] | null>(null);
  const [details, setDetails] = useState<Detail[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [now] = useState(() => Date.now());

  useEffect(() => {
    let cancelled = false;
    api.list({ ...NO_FILTERS, kind }, null, 100).then((page) => {
      if (cancelled) return;
      setItems(page.items);
      setSelected((s) => s?.filter((id) => page.items.some((i) => i.workflowId === id)) ?? page.items.slice(0, FIRST_SELECTION).map((i) => i.workflowId));
    }, (err: unknown) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
  }, [kind]);

  const chosen = useMemo(() => selected ?? [], [selected]);
  useEffect(() => {
    let cancelled = false;
    Promise.all(chosen.map((id) => api.detail(id))).then((d) => !cancelled && (setDetails(d), setError(null)), (err: unknown) => !cancelled && setError(err));
    return () => {
      cancelled = true;
    };
  }, [chosen, live?.seq]);

  const toggle = (id: string, on: boolean) => setSelected((s) => (on ? [...(s ?? []), id] : (s ?? []).filter((x) => x !== id)));
  const timeline = useMemo(() => timelineOf(details, now), [details, now]);

  return (
    <div className="portfolio">
      <h1>{t('portfolio.title')}</h1>
      <p className="muted">{t('portfolio.intro')}</p>
      {!!error && <p className="error" role="alert">{apiErrorText(error, t)}</p>}
      <form className="card pick" onSubmit={(e) => e.preventDefault()}>
        <label>{t('overview.kind')}
          <select value={kind} onChange={(e) => (setKind(e.target.value), setSelected(null))}>
            <option value="">{t('kind.all')}</option>{KINDS.map((k) => <option key={k} value={k}>{t(`kind.${k}`)}</option>)}
          </select>
        </label>
        <fieldset>
          <legend>{t('portfolio.choose', { n: chosen.length })}</legend>
          {items === null && <p className="muted">{t('app.loading')}</p>}
          {items?.length === 0 && <p className="muted">{t('overview.empty')}</p>}
          <ul className="pick-list">
            {items?.map((w) => (
              <li key={w.workflowId}>
                <label className="check">
                  <input type="checkbox" value={w.workflowId} checked={chosen.includes(w.workflowId)} onChange={(e) => toggle(w.workflowId, e.target.checked)} />
                  <KindLabel kind={w.kind} /> {text.title(w)} <Status status={w.status} />
                </label>
              </li>
            ))}
          </ul>
        </fieldset>
      </form>
      <PortfolioChart timeline={timeline} />
    </div>
  );
}

const WIDTH = 1100;
const LABEL = 300;
const ROW = 20;
const HEAD = 26;
const AXIS = 30;
const COLOUR: Record<string, string> = { done: '#2f7d4f', running: '#234e8c', failed: '#b42318', skipped: '#8a94a6', pending: '#9fb6d8' };

function PortfolioChart({ timeline }: { timeline: Timeline }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const f = useFormat();
  const stageName = useStageName();
  const svg = useRef<SVGSVGElement>(null);
  const [busy, setBusy] = useState(false);
  const [exportError, setExportError] = useState<unknown>(null);

  const span = timeline.to - timeline.from;
  const x = (ms: number) => LABEL + ((ms - timeline.from) / span) * (WIDTH - LABEL - 12);
  let y = AXIS;
  const placed = timeline.groups.map((g) => {
    const top = y;
    y += HEAD + g.rows.length * ROW;
    return { g, top };
  });
  const height = Math.max(y + 8, AXIS + 40);
  const file = `fuusio-portfolio-${helsinkiDate(timeline.now)}`;

  async function exportAs(type: 'svg' | 'png') {
    if (!svg.current) return;
    setBusy(true);
    setExportError(null);
    try {
      const markup = svgDocument(svg.current);
      if (type === 'svg') download(new Blob([markup], { type: 'image/svg+xml' }), `${file}.svg`);
      else download(await pngFromSvg(markup, WIDTH, height), `${file}.png`);
    } catch (err) {
      setExportError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card" aria-labelledby="portfolio-chart-h">
      <h2 id="portfolio-chart-h">{t('portfolio.chart')}</h2>
      <p className="legend small">
        <span><svg width="22" height="10" aria-hidden="true"><rect x="1" y="1" width="20" height="8" fill="none" stroke="#5d6676" strokeDasharray="3 2" /></svg> {t('portfolio.planned')}</span>
        <span><svg width="22" height="10" aria-hidden="true"><rect x="1" y="1" width="20" height="8" fill="#234e8c" /></svg> {t('portfolio.actual')}</span>
        <span><svg width="22" height="10" aria-hidden="true"><line x1="11" x2="11" y1="0" y2="10" stroke="#b42318" strokeWidth="2" /></svg> {t('portfolio.today')}</span>
      </p>
      <div className="export">
        <button type="button" className="secondary" disabled={busy || !timeline.groups.length} onClick={() => void exportAs('svg')}>{t('portfolio.exportSvg')}</button>
        <button type="button" className="secondary" disabled={busy || !timeline.groups.length} onClick={() => void exportAs('png')}>{t('portfolio.exportPng')}</button>
        {!!exportError && <span className="error" role="alert">{t('portfolio.exportFailed')}</span>}
      </div>
      <div className="chart-scroll">
        <svg ref={svg} className="portfolio-gantt" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="pf-title pf-desc"
          fontFamily="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif">
          <title id="pf-title">{t('portfolio.chart')}</title>
          <desc id="pf-desc">{t('portfolio.chartDesc', { n: timeline.groups.length, today: f.day(helsinkiDate(timeline.now)) })}</desc>
          <rect x={0} y={0} width={WIDTH} height={height} fill="#ffffff" />
          {ticks(timeline).map((tick, i, all) => (
            <g key={tick}>
              <line x1={x(tick)} x2={x(tick)} y1={AXIS - 6} y2={height - 4} stroke="#e6e9ef" />
              <text x={x(tick)} y={16} fontSize={11} fill="#5d6676" textAnchor={i === 0 ? 'start' : i === all.length - 1 ? 'end' : 'middle'}>{f.day(helsinkiDate(tick))}</text>
            </g>
          ))}
          {placed.map(({ g, top }) => (
            <g key={g.workflowId} data-workflow-id={g.workflowId}>
              <rect x={0} y={top} width={WIDTH} height={HEAD} fill="#eef2f8" />
              <text x={6} y={top + 17} fontSize={12} fontWeight={700} fill="#1d2330">{truncate(text.title(g), 120)}</text>
              {g.rows.map((r, i) => {
                const ry = top + HEAD + i * ROW;
                return (
                  <g key={r.stageKey} data-stage={r.stageKey} data-status={r.status}>
                    <text x={16} y={ry + 14} fontSize={11} fill="#1d2330">{truncate(stageName(r.stageKey, r.stageTitle), 44)}</text>
                    <line x1={LABEL} x2={WIDTH - 12} y1={ry + ROW / 2} y2={ry + ROW / 2} stroke="#e1e5ec" strokeDasharray="2 3" />
                    {r.planned && (
                      <rect className="planned" x={x(r.planned.from)} y={ry + 3} width={Math.max(3, x(r.planned.to) - x(r.planned.from))} height={ROW - 6}
                        fill="none" stroke="#5d6676" strokeDasharray="3 2" rx={2} />
                    )}
                    {r.actual && (
                      <rect className="actual" x={x(r.actual.from)} y={ry + 6} width={Math.max(3, x(r.actual.to) - x(r.actual.from))} height={ROW - 12}
                        fill={COLOUR[r.status] ?? '#9fb6d8'} rx={2} />
                    )}
                  </g>
                );
              })}
            </g>
          ))}
          <line className="today" x1={x(timeline.now)} x2={x(timeline.now)} y1={AXIS - 10} y2={height - 4} stroke="#b42318" strokeWidth={2} />
          <text x={x(timeline.now) + 4} y={AXIS - 2} fontSize={11} fill="#b42318">{t('portfolio.today')}</text>
        </svg>
      </div>
      <details>
        <summary>{t('portfolio.asTable')}</summary>
        <TimelineTable timeline={timeline} f={f} stageName={stageName} />
      </details>
    </section>
  );
}

function truncate(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The chart's text alternative: each stage's planned and actual dates. */
function TimelineTable({ timeline, f, stageName }: { timeline: Timeline; f: Format; stageName: (key: string, fallback?: string) => string }) {
  const { t } = useTranslation();
  const text = useWorkflowText();
  const day = (ms: number | undefined) => (ms === undefined ? '—' : f.day(helsinkiDate(ms)));
  return (
    <table className="timeline-table">
      <thead><tr><th scope="col">{t('portfolio.workflow')}</th><th scope="col">{t('detail.stage')}</th><th scope="col">{t('detail.status')}</th>
        <th scope="col">{t('portfolio.plannedEnd')}</th><th scope="col">{t('portfolio.actualStart')}</th><th scope="col">{t('portfolio.actualEnd')}</th></tr></thead>
      <tbody>
        {timeline.groups.flatMap((g) => g.rows.map((r) => (
          <tr key={`${g.workflowId}/${r.stageKey}`}>
            <td><Link to={`/w/${encodeURIComponent(g.workflowId)}`}>{text.title(g)}</Link></td>
            <td>{stageName(r.stageKey, r.stageTitle)}</td>
            <td><Status status={r.status} /></td>
            <td>{day(r.planned?.to)}</td><td>{day(r.actual?.from)}</td><td>{r.status === 'running' ? t('portfolio.running') : day(r.actual?.to)}</td>
          </tr>
        )))}
      </tbody>
    </table>
  );
}
