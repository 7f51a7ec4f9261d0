import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { api, type ProjectView } from './api';
import { apiErrorText } from './errors';
import { useFormat } from './format';
import { helsinkiToday, periodState, type PeriodState } from './periods';

const WIDTH = 760;
const LEFT = 10;
const BAR_Y = 22;
const BAR_H = 26;
const DAY = 24 * 3600 * 1000;

const STATES: PeriodState[] = ['reported', 'late', 'overdue', 'due', 'future'];

/**
 * An ESR project at a glance: its payment-application periods as one gap-free bar from the start to the
 * end date, each period coloured by its report, the indicators against their targets, and the chain of phases.
 */
export function ProjectPanel({ businessKey, today = helsinkiToday(), level = 2 }: { businessKey: string; today?: string; level?: 1 | 2 }) {
  const { t } = useTranslation();
  const f = useFormat();
  const [project, setProject] = useState<ProjectView | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    api.project(businessKey).then(setProject, (err: Error) => setError(err));
  }, [businessKey]);
  // On its own page the panel's heading is the page's h1; inside a workflow's detail it is a section (h2).
  const H = level === 1 ? 'h1' : 'h2';
  const Sub = level === 1 ? 'h2' : 'h3';
  const words = (state: PeriodState) => t(`projects.state.${state}`);
  if (error) return <section className="card"><H>{t('projects.error')}</H><p className="error" role="alert">{apiErrorText(error, t)}</p></section>;
  if (!project) return level === 1 ? <p className="muted">{t('app.loading')}</p> : null;

  const reported = new Map(project.reports.map((r) => [r.period, r.reportedOn]));
  const from = Date.parse(project.startDate);
  const to = Date.parse(project.endDate) + DAY;
  const x = (iso: string, endOfDay = false) => LEFT + ((Date.parse(iso) + (endOfDay ? DAY : 0) - from) / (to - from)) * (WIDTH - 2 * LEFT);
  const todayX = x(today);
  const states = project.periods.map((p) => ({ ...p, state: periodState(p, reported.get(p.no) ?? null, today) }));
  const counts = states.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.state]: (acc[s.state] ?? 0) + 1 }), {});

  return (
    <section className="card project" aria-labelledby="project-h">
      <H id="project-h">{t('projects.heading', { code: project.euraCode ?? '', name: project.name })}</H>
      <p className="muted small">
        {f.day(project.startDate)} – {f.day(project.endDate)}{project.plannedEndDate !== project.endDate ? ` ${t('projects.planned', { date: f.day(project.plannedEndDate) })}` : ''} ·
        {' '}{t('projects.budget', { amount: f.euros(project.approvedCents ?? project.budgetCents) })} · {t('projects.periods', { count: project.periods.length, months: project.reportingPeriodMonths })}
      </p>
      <svg className="periods" viewBox={`0 0 ${WIDTH} 70`} role="img" aria-labelledby="periods-title periods-desc">
        <title id="periods-title">{t('projects.periodsTitle')}</title>
        <desc id="periods-desc">{states.map((s) => t('projects.periodLine', { no: s.no, start: f.day(s.start), end: f.day(s.end), state: words(s.state) })).join('; ')}</desc>
        {states.map((s) => (
          <rect key={s.no} x={x(s.start)} y={BAR_Y} width={Math.max(2, x(s.end, true) - x(s.start) - 1)} height={BAR_H}
            className={`period period-${s.state}`} data-period={s.no} data-state={s.state}>
            <title>{t('projects.periodTitle', { no: s.no, start: f.day(s.start), end: f.day(s.end), due: f.day(s.dueOn), state: words(s.state) })}</title>
          </rect>
        ))}
        <text x={LEFT} y={14} className="tick">{f.day(project.startDate)}</text>
        <text x={WIDTH - LEFT} y={14} className="tick" textAnchor="end">{f.day(project.endDate)}</text>
        {todayX >= LEFT && todayX <= WIDTH - LEFT && <line x1={todayX} x2={todayX} y1={BAR_Y - 6} y2={BAR_Y + BAR_H + 6} className="now" />}
        <text x={LEFT} y={66} className="tick">
          {STATES.filter((k) => counts[k]).map((k) => `${counts[k]} ${words(k)}`).join(' · ')}
        </text>
      </svg>
      {project.indicators.length > 0 && (
        <>
          <Sub>{t('projects.indicators')}</Sub>
          <ul className="plain indicators">
            {project.indicators.map((i) => (
              <li key={i.key}>
                <span>{i.title}</span>
                <progress max={i.target} value={Math.min(i.actual ?? 0, i.target)} aria-label={t('projects.indicatorOf', { title: i.title, actual: f.number(i.actual ?? 0), target: f.number(i.target) })} />
                <span className="muted small">{i.actual ?? 0} / {i.target}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {project.chain.length > 1 && (
        <p>{t('projects.phases')} {project.chain.map((p, n) => (
          <span key={p?.workflowId ?? n}>{n > 0 ? ' → ' : ''}{p
            ? <Link to={`/projects/${encodeURIComponent(p.workflowId)}`} aria-current={p.workflowId === project.workflowId ? 'page' : undefined}>{p.name} ({f.day(p.startDate)} – {f.day(p.endDate)})</Link>
            : '…'}</span>
        ))}</p>
      )}
    </section>
  );
}
