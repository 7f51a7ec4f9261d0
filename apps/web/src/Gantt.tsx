import { useTranslation } from 'react-i18next';
import type { Stage } from './api';
import { useFormat } from './format';
import { useStageName } from './names';

const ROW = 28;
const LABEL = 170;
const WIDTH = 760;
const AXIS = 24;

/** Each stage as a bar from its start to its finish (running stages reach now); stages not begun are empty rows. */
export function Gantt({ stages, startedAt, now = Date.now() }: { stages: Stage[]; startedAt: string; now?: number }) {
  const { t } = useTranslation();
  const f = useFormat();
  const stageName = useStageName();
  const times = stages.flatMap((s) => [s.startedAt, s.finishedAt, s.plannedAt ?? null]).filter((v): v is string => !!v).map(Date.parse);
  const from = Math.min(Date.parse(startedAt) || now, ...times);
  const to = Math.max(now, ...times, from + 1000);
  const span = to - from;
  const x = (t: number) => LABEL + ((t - from) / span) * (WIDTH - LABEL - 10);
  const height = stages.length * ROW + AXIS;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => from + share * span);
  return (
    <svg className="gantt" viewBox={`0 0 ${WIDTH} ${height}`} role="img" aria-labelledby="gantt-title gantt-desc">
      <title id="gantt-title">{t('gantt.title')}</title>
      <desc id="gantt-desc">{stages.map((s) => `${stageName(s.key, s.title)}: ${t(`status.${s.status}`, { defaultValue: s.status })}${s.startedAt ? `, ${t('gantt.started', { time: f.time(s.startedAt) })}` : ''}${s.finishedAt ? `, ${t('gantt.finished', { time: f.time(s.finishedAt) })}` : ''}`).join('; ')}</desc>
      {ticks.map((tick, i) => (
        <g key={i}>
          <line x1={x(tick)} x2={x(tick)} y1={0} y2={stages.length * ROW} className="grid" />
          <text x={x(tick)} y={height - 6} className="tick" textAnchor={i === 0 ? 'start' : i === ticks.length - 1 ? 'end' : 'middle'}>{f.time(new Date(tick).toISOString())}</text>
        </g>
      ))}
      {stages.map((s, i) => {
        const y = i * ROW;
        const start = s.startedAt ? Date.parse(s.startedAt) : null;
        const end = s.finishedAt ? Date.parse(s.finishedAt) : s.status === 'running' ? now : start;
        return (
          <g key={s.key} className={`gstage gstage-${s.status}`} data-stage={s.key}>
            <text x={8} y={y + ROW / 2 + 4} className="glabel">{stageName(s.key, s.title)}</text>
            <line x1={LABEL} x2={WIDTH - 10} y1={y + ROW / 2} y2={y + ROW / 2} className="lane" />
            {s.plannedAt && <line x1={x(Date.parse(s.plannedAt))} x2={x(Date.parse(s.plannedAt))} y1={y + 4} y2={y + ROW - 4} className="planned" />}
            {start !== null && end !== null && (
              <rect x={x(start)} y={y + 6} width={Math.max(4, x(end) - x(start))} height={ROW - 12} rx={3} className="gbar">
                <title>{`${stageName(s.key, s.title)}: ${t(`status.${s.status}`, { defaultValue: s.status })}`}</title>
              </rect>
            )}
          </g>
        );
      })}
      <line x1={x(now)} x2={x(now)} y1={0} y2={stages.length * ROW} className="now" />
    </svg>
  );
}
