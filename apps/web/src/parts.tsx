import { useTranslation } from 'react-i18next';
import type { Rag } from './facts';
import { useFormat } from './format';

export function Progress({ percent, label }: { percent: number; label: string }) {
  const p = Math.max(0, Math.min(100, Math.round(percent)));
  return (
    <div className="progress" role="progressbar" aria-label={label} aria-valuemin={0} aria-valuemax={100} aria-valuenow={p}>
      <div className="track"><div className="bar" style={{ width: `${p}%` }} /></div>
      <span>{p}%</span>
    </div>
  );
}

const SYMBOL = { red: '●', amber: '▲', green: '✓' } as const;

export function RagBadge({ rag }: { rag: Rag }) {
  const { t } = useTranslation();
  const f = useFormat();
  const reason = rag.reason === 'overdue' ? t('rag.overdue', { date: f.dateTime(rag.at) })
    : rag.reason === 'dueToday' ? t('rag.dueToday', { time: f.clock(rag.at ?? '') })
      : rag.reason === 'dueSoon' ? t('rag.dueSoon', { date: f.dateTime(rag.at) })
        : rag.reason === 'onTrack' || rag.reason === 'failed' ? t(`rag.${rag.reason}`)
          : t(`status.${rag.reason}`, { defaultValue: rag.reason });
  return (
    <span className={`rag rag-${rag.level}`} title={reason}>
      <span aria-hidden="true">{SYMBOL[rag.level]}</span> <span className="rag-level">{t(`rag.${rag.level}`)}</span>
      <span className="rag-reason">{reason}</span>
    </span>
  );
}

/** A status word in the user's language; the class keeps the code for colour (and tests). */
export function Status({ status, testId }: { status: string; testId?: string }) {
  const { t } = useTranslation();
  return <span className={`status status-${status}`} data-testid={testId} data-status={status}>{t(`status.${status}`, { defaultValue: status })}</span>;
}

/** A workflow kind in the user's language. */
export function KindLabel({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return <span className="kind" data-kind={kind}>{t(`kind.${kind}`, { defaultValue: kind })}</span>;
}
