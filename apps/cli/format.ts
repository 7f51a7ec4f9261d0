/** Plain-text rendering for people: aligned tables, progress bars, short dates. */

export type Cell = string | number | boolean | null | undefined;

export function cell(value: Cell | readonly string[]): string {
  if (value === null || value === undefined || value === '') return '-';
  if (Array.isArray(value)) return value.length ? value.join(', ') : '-';
  return String(value);
}

/** Columns padded to the widest cell; the last column is not padded. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)];
}

/**
 * `label: value` lines indented by two, the values aligned (`minWidth` after the indent at least, as the
 * English labels always were): a translated label may be longer.
 */
export function labelled(pairs: readonly (readonly [string, string])[], minWidth = 15): string[] {
  const width = Math.max(minWidth, ...pairs.map(([label]) => label.length + 2));
  return pairs.map(([label, value]) => `  ${`${label}:`.padEnd(width)}${value}`);
}

/** `[############--------]  60%` */
export function progressBar(percent: number, width = 20): string {
  const p = Number.isFinite(percent) ? Math.min(100, Math.max(0, percent)) : 0;
  const filled = Math.round((p / 100) * width);
  return `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(Math.round(p)).padStart(3)}%`;
}

/** An ISO time shortened to minutes in UTC (`2025-03-01 12:30Z`); dates and other strings as they are. */
export function when(value: string | null | undefined): string {
  if (!value) return '-';
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(value);
  if (!m) return value;
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  const iso = d.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)}Z`;
}
