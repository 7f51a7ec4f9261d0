import type { Detail } from './api';

/**
 * The portfolio timeline's layout, apart from drawing: one row per stage of every selected workflow,
 * each with its planned span (from where the stage was meant to begin to its deadline) and its actual
 * span (start to finish, or to now while it runs), and the time axis that holds them all and today.
 */
export type Span = { from: number; to: number };
export type TimelineRow = {
  workflowId: string;
  stageKey: string;
  stageTitle: string;
  status: string;
  planned: Span | null;
  actual: Span | null;
};
export type TimelineGroup = { workflowId: string; title: string; kind: string; status: string; rows: TimelineRow[] };
export type Timeline = { groups: TimelineGroup[]; from: number; to: number; now: number };

const parse = (iso: string | null | undefined): number | null => {
  const ms = iso ? Date.parse(iso) : Number.NaN;
  return Number.isNaN(ms) ? null : ms;
};

/** A stage is planned from where it began (or, not begun, from the previous stage's planned or actual end) to its deadline. */
export function timelineOf(details: readonly Detail[], now: number): Timeline {
  const groups = details.map((d): TimelineGroup => {
    let previousEnd = parse(d.startedAt);
    const rows = d.stages.map((s): TimelineRow => {
      const started = parse(s.startedAt);
      const finished = parse(s.finishedAt);
      const due = parse(s.plannedAt);
      const plannedFrom = started ?? previousEnd;
      const planned = due !== null && plannedFrom !== null ? { from: Math.min(plannedFrom, due), to: due } : null;
      const end = finished ?? (s.status === 'running' ? Math.max(now, started ?? now) : started);
      const actual = started !== null && end !== null ? { from: started, to: end } : null;
      previousEnd = due ?? finished ?? previousEnd;
      return { workflowId: d.workflowId, stageKey: s.key, stageTitle: s.title, status: s.status, planned, actual };
    });
    return { workflowId: d.workflowId, title: d.title, kind: d.kind, status: d.status, rows };
  });
  const times = groups.flatMap((g) => g.rows.flatMap((r) => [r.planned?.from, r.planned?.to, r.actual?.from, r.actual?.to]))
    .filter((v): v is number => typeof v === 'number');
  const from = Math.min(now, ...times);
  const to = Math.max(now, ...times);
  // A little room on both sides, and never a zero-length axis.
  const pad = Math.max((to - from) * 0.03, 60 * 60 * 1000);
  return { groups, from: from - pad, to: to + pad, now };
}

/** Up to `count` evenly spaced instants across the axis, both ends included. */
export function ticks(t: Pick<Timeline, 'from' | 'to'>, count = 6): number[] {
  return Array.from({ length: count }, (_, i) => t.from + ((t.to - t.from) * i) / (count - 1));
}
