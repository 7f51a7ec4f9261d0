import { useEffect, useState } from 'react';
import { api, type ProjectView } from './api';
import { periodState, type PeriodState } from './periods';

const WIDTH = 760;
const LEFT = 10;
const BAR_Y = 22;
const BAR_H = 26;
const DAY = 24 * 3600 * 1000;

const STATE_WORDS: Record<PeriodState, string> = {
  reported: 'reported on time', late: 'reported late', overdue: 'report overdue', due: 'report due', future: 'not yet ended',
};

/**
 * An ESR project at a glance: its payment-application periods as one gap-free bar from the start to the
 * end date, each period coloured by its report, the indicators against their targets, and the chain of phases.
 */
export function ProjectPanel({ businessKey, today = new Date().toISOString().slice(0, 10) }: { businessKey: string; today?: string }) {
  const [project, setProject] = useState<ProjectView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.project(businessKey).then(setProject, (err: Error) => setError(err.message));
  }, [businessKey]);
  if (error) return <section className="card"><h2>Project</h2><p className="muted">{error}</p></section>;
  if (!project) return null;

  const reported = new Map(project.reports.map((r) => [r.period, r.reportedOn]));
  const from = Date.parse(project.startDate);
  const to = Date.parse(project.endDate) + DAY;
  const x = (iso: string, endOfDay = false) => LEFT + ((Date.parse(iso) + (endOfDay ? DAY : 0) - from) / (to - from)) * (WIDTH - 2 * LEFT);
  const todayX = x(today);
  const states = project.periods.map((p) => ({ ...p, state: periodState(p, reported.get(p.no) ?? null, today) }));
  const counts = states.reduce<Record<string, number>>((acc, s) => ({ ...acc, [s.state]: (acc[s.state] ?? 0) + 1 }), {});

  return (
    <section className="card project" aria-labelledby="project-h">
      <h2 id="project-h">Project {project.euraCode ?? ''} · {project.name}</h2>
      <p className="muted small">
        {project.startDate} – {project.endDate}{project.plannedEndDate !== project.endDate ? ` (planned ${project.plannedEndDate})` : ''} ·
        budget {euros(project.approvedCents ?? project.budgetCents)} · {project.periods.length} periods of {project.reportingPeriodMonths} months
      </p>
      <svg className="periods" viewBox={`0 0 ${WIDTH} 70`} role="img" aria-labelledby="periods-title periods-desc">
        <title id="periods-title">Payment-application periods</title>
        <desc id="periods-desc">{states.map((s) => `period ${s.no} ${s.start}–${s.end}: ${STATE_WORDS[s.state]}`).join('; ')}</desc>
        {states.map((s) => (
          <rect key={s.no} x={x(s.start)} y={BAR_Y} width={Math.max(2, x(s.end, true) - x(s.start) - 1)} height={BAR_H}
            className={`period period-${s.state}`} data-period={s.no} data-state={s.state}>
            <title>{`Period ${s.no}: ${s.start} – ${s.end}, report due ${s.dueOn}: ${STATE_WORDS[s.state]}`}</title>
          </rect>
        ))}
        <text x={LEFT} y={14} className="tick">{project.startDate}</text>
        <text x={WIDTH - LEFT} y={14} className="tick" textAnchor="end">{project.endDate}</text>
        {todayX >= LEFT && todayX <= WIDTH - LEFT && <line x1={todayX} x2={todayX} y1={BAR_Y - 6} y2={BAR_Y + BAR_H + 6} className="now" />}
        <text x={LEFT} y={66} className="tick">
          {Object.entries(STATE_WORDS).filter(([k]) => counts[k]).map(([k, w]) => `${counts[k]} ${w}`).join(' · ')}
        </text>
      </svg>
      {project.indicators.length > 0 && (
        <>
          <h3>Indicators</h3>
          <ul className="plain indicators">
            {project.indicators.map((i) => (
              <li key={i.key}>
                <span>{i.title}</span>
                <progress max={i.target} value={Math.min(i.actual ?? 0, i.target)} aria-label={`${i.title}: ${i.actual ?? 0} of ${i.target}`} />
                <span className="muted small">{i.actual ?? 0} / {i.target}</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {project.chain.length > 1 && (
        <p>Phases: {project.chain.map((p, n) => (
          <span key={p?.workflowId ?? n}>{n > 0 ? ' → ' : ''}{p
            ? <a href={`#/projects/${encodeURIComponent(p.workflowId)}`} aria-current={p.workflowId === project.workflowId ? 'page' : undefined}>{p.name} ({p.startDate} – {p.endDate})</a>
            : '…'}</span>
        ))}</p>
      )}
    </section>
  );
}

function euros(cents: number): string {
  return (cents / 100).toLocaleString('en-GB', { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
}
