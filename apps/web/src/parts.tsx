import type { Rag } from './facts';

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
  return (
    <span className={`rag rag-${rag.level}`} title={rag.reason}>
      <span aria-hidden="true">{SYMBOL[rag.level]}</span> <span className="rag-level">{rag.level}</span>
      <span className="rag-reason">{rag.reason}</span>
    </span>
  );
}
