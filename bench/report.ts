/** The bench's closing table of ratios and its SVG chart, from the raw figures. */

export type Spread = { median: number; min: number; max: number };
export type RatioRow = { metric: string; value: Spread; target?: string; met?: boolean; note?: string };

export function spread(values: number[]): Spread {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (!v.length) return { median: NaN, min: NaN, max: NaN };
  const mid = Math.floor(v.length / 2);
  const median = v.length % 2 ? (v[mid] as number) : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
  return { median, min: v[0] as number, max: v[v.length - 1] as number };
}

export function percentile(values: number[], q: number): number {
  const v = [...values].sort((a, b) => a - b);
  if (!v.length) return NaN;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))] as number;
}

function num(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const a = Math.abs(n);
  return a >= 1000 ? n.toFixed(0) : a >= 100 ? n.toFixed(1) : a >= 10 ? n.toFixed(2) : n.toFixed(3);
}

export function formatRatios(rows: RatioRow[]): string[] {
  const header = ['metric', 'median', 'min', 'max', 'target', 'met'];
  const body = rows.map((r) => [r.metric, num(r.value.median), num(r.value.min), num(r.value.max), r.target ?? '', r.met === undefined ? '' : r.met ? 'yes' : 'NO']);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => (b[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 || i >= 4 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join('  ').trimEnd();
  return [line(header), line(header.map((_, i) => '-'.repeat(widths[i] ?? 0))), ...body.map(line)];
}

export type ChartBar = { label: string; value: number; low?: number; high?: number };
export type ChartPanel = { title: string; unit: string; bars: ChartBar[] };

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Horizontal bar panels side by side, each bar with a min–max whisker where given; plain SVG text. */
export function svgChart(title: string, subtitle: string, panels: ChartPanel[]): string {
  const panelWidth = 450;
  const rowHeight = 26;
  const labelWidth = 175;
  const height = 70 + Math.max(...panels.map((p) => p.bars.length)) * rowHeight + 40;
  const width = panels.length * panelWidth + 20;
  const colours = ['#3b6ea5', '#c0504d', '#4f9a5b', '#8064a2', '#d08a2e', '#4aa3b5'];
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="12">`,
    `<rect width="100%" height="100%" fill="#fff"/>`,
    `<text x="10" y="20" font-size="15" font-weight="bold">${escape(title)}</text>`,
    `<text x="10" y="38" fill="#555">${escape(subtitle)}</text>`,
  ];
  panels.forEach((panel, pi) => {
    const x0 = 10 + pi * panelWidth;
    const barMax = Math.max(1e-9, ...panel.bars.map((b) => Math.max(b.value, b.high ?? 0)).filter(Number.isFinite));
    const scale = (panelWidth - labelWidth - 70) / barMax;
    parts.push(`<text x="${x0}" y="60" font-weight="bold">${escape(panel.title)} (${escape(panel.unit)})</text>`);
    panel.bars.forEach((b, bi) => {
      const y = 70 + bi * rowHeight;
      const w = Number.isFinite(b.value) ? Math.max(1, b.value * scale) : 0;
      // One colour per arm (the label's first word), so W3 looks the same in every panel.
      const arm = Number(/^W(\d)/.exec(b.label)?.[1] ?? bi);
      const colour = colours[arm % colours.length] ?? '#333';
      parts.push(`<text x="${x0}" y="${y + 15}">${escape(b.label)}</text>`);
      parts.push(`<rect x="${x0 + labelWidth}" y="${y + 3}" width="${w.toFixed(1)}" height="16" fill="${colour}"/>`);
      if (b.low !== undefined && b.high !== undefined && Number.isFinite(b.low) && Number.isFinite(b.high)) {
        const yl = y + 11;
        parts.push(`<line x1="${(x0 + labelWidth + b.low * scale).toFixed(1)}" y1="${yl}" x2="${(x0 + labelWidth + b.high * scale).toFixed(1)}" y2="${yl}" stroke="#000"/>`);
      }
      const end = Math.max(w, Number.isFinite(b.high ?? NaN) ? (b.high as number) * scale : 0);
      parts.push(`<text x="${(x0 + labelWidth + end + 4).toFixed(1)}" y="${y + 15}" fill="#333">${escape(num(b.value))}</text>`);
    });
  });
  parts.push(`<text x="10" y="${height - 12}" fill="#777">bars: median over repetitions; whiskers: min–max</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}
