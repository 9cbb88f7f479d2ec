import { escapeHtml } from './html-escape';

/** One named line or point set of a chart. */
export interface PlotSeries {
  name: string;
  points: { x: number; y: number }[];
}

/** Axis titles and ranges of a chart; ranges default to the data's (or [0, 1] for rates). */
export interface PlotAxes {
  title: string;
  x: string;
  y: string;
  xRange?: [number, number];
  yRange?: [number, number];
  /** Draw y = x (a perfect model or perfect calibration) as a dashed reference line. */
  diagonal?: boolean;
  /** Draw y = 0 (residuals) as a dashed reference line. */
  zeroLine?: boolean;
}

const COLOURS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];
const W = 360;
const H = 280;
const PAD = { left: 52, right: 12, top: 28, bottom: 44 };

/** A colour per series, cycling through a palette readable on white. */
export const seriesColour = (i: number): string => COLOURS[i % COLOURS.length];

const num = (v: number): string => (Number.isInteger(v) ? String(v) : Math.abs(v) >= 100 ? v.toFixed(0) : Math.abs(v) >= 1 ? v.toFixed(1) : v.toFixed(2));

function extent(values: number[], fallback: [number, number]): [number, number] {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return fallback;
  let lo = Math.min(...finite);
  let hi = Math.max(...finite);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  return [lo, hi];
}

function frame(title: string, body: string, legend: string): string {
  return `<svg class="plot" viewBox="0 0 ${W} ${H + (legend ? 18 : 0)}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>`
    + `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(title)}</text>${body}${legend}</svg>`;
}

/**
 * A line chart (with `markers`, a scatter) as inline SVG: axes with three ticks each, axis titles, optional
 * y = x or y = 0 reference, and a legend when there is more than one series. Every text is escaped.
 */
export function lineChart(axes: PlotAxes, series: PlotSeries[], options: { markers?: boolean } = {}): string {
  const xs = series.flatMap((s) => s.points.map((p) => p.x));
  const ys = series.flatMap((s) => s.points.map((p) => p.y));
  const [x0, x1] = axes.xRange ?? extent(xs, [0, 1]);
  const [y0, y1] = axes.yRange ?? extent(ys, [0, 1]);
  const px = (x: number) => PAD.left + ((x - x0) / (x1 - x0)) * (W - PAD.left - PAD.right);
  const py = (y: number) => H - PAD.bottom - ((y - y0) / (y1 - y0)) * (H - PAD.top - PAD.bottom);
  const ticks = (lo: number, hi: number) => [lo, (lo + hi) / 2, hi];
  const parts: string[] = [
    `<rect x="${PAD.left}" y="${PAD.top}" width="${W - PAD.left - PAD.right}" height="${H - PAD.top - PAD.bottom}" fill="none" stroke="#999"/>`,
    ...ticks(x0, x1).map((t) => `<text x="${px(t).toFixed(1)}" y="${H - PAD.bottom + 14}" text-anchor="middle" font-size="10">${num(t)}</text>`),
    ...ticks(y0, y1).map((t) => `<text x="${PAD.left - 4}" y="${(py(t) + 3).toFixed(1)}" text-anchor="end" font-size="10">${num(t)}</text>`),
    `<text x="${(PAD.left + W - PAD.right) / 2}" y="${H - 8}" text-anchor="middle" font-size="11">${escapeHtml(axes.x)}</text>`,
    `<text transform="translate(13 ${(PAD.top + H - PAD.bottom) / 2}) rotate(-90)" text-anchor="middle" font-size="11">${escapeHtml(axes.y)}</text>`,
  ];
  if (axes.diagonal) {
    const lo = Math.max(x0, y0);
    const hi = Math.min(x1, y1);
    if (hi > lo) parts.push(`<line x1="${px(lo).toFixed(1)}" y1="${py(lo).toFixed(1)}" x2="${px(hi).toFixed(1)}" y2="${py(hi).toFixed(1)}" stroke="#aaa" stroke-dasharray="4 3"/>`);
  }
  if (axes.zeroLine && y0 < 0 && y1 > 0) parts.push(`<line x1="${PAD.left}" y1="${py(0).toFixed(1)}" x2="${W - PAD.right}" y2="${py(0).toFixed(1)}" stroke="#aaa" stroke-dasharray="4 3"/>`);
  series.forEach((s, i) => {
    const colour = seriesColour(i);
    const points = s.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (options.markers) {
      parts.push(...points.map((p) => `<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.2" fill="${colour}" fill-opacity="0.6"/>`));
    } else if (points.length > 0) {
      parts.push(`<polyline fill="none" stroke="${colour}" stroke-width="1.8" points="${points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}"/>`);
    }
  });
  const legend = series.length > 1
    ? series.map((s, i) => `<g transform="translate(${PAD.left + (i % 4) * 76} ${H + 6 + Math.floor(i / 4) * 12})"><rect width="9" height="9" fill="${seriesColour(i)}"/><text x="12" y="8" font-size="10">${escapeHtml(s.name.length > 10 ? `${s.name.slice(0, 9)}…` : s.name)}</text></g>`).join('')
    : '';
  return frame(axes.title, parts.join(''), legend);
}

/** Horizontal bars with their labels and values, largest first as given; negative values draw to the left of zero. */
export function barChart(title: string, items: { label: string; value: number }[], unit: string): string {
  const rowH = 18;
  const height = PAD.top + items.length * rowH + 30;
  const labelW = 130;
  const max = Math.max(1e-12, ...items.map((i) => Math.abs(i.value)));
  const span = W - labelW - 60;
  const rows = items.map((item, r) => {
    const y = PAD.top + r * rowH;
    const w = (Math.abs(item.value) / max) * span;
    const label = item.label.length > 20 ? `${item.label.slice(0, 19)}…` : item.label;
    return `<text x="${labelW - 4}" y="${y + 12}" text-anchor="end" font-size="11">${escapeHtml(label)}</text>`
      + `<rect x="${labelW}" y="${y + 3}" width="${Math.max(w, 1).toFixed(1)}" height="${rowH - 6}" fill="${item.value < 0 ? '#d62728' : '#4a7'}"/>`
      + `<text x="${(labelW + w + 4).toFixed(1)}" y="${y + 12}" font-size="10">${escapeHtml(num(item.value))}</text>`;
  });
  const axis = `<text x="${labelW}" y="${height - 8}" font-size="10">${escapeHtml(unit)}</text>`;
  return `<svg class="plot" viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>`
    + `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(title)}</text>${rows.join('')}${axis}</svg>`;
}

/** A confusion matrix: rows the actual class, columns the predicted one, each cell shaded by its share of its row and labelled with its count. */
export function confusionMatrix(title: string, classes: string[], counts: number[][]): string {
  const k = classes.length;
  const labelW = 80;
  const cell = Math.min(56, (W - labelW - 10) / Math.max(k, 1));
  const height = PAD.top + 16 + k * cell + 30;
  const parts: string[] = [];
  const short = (s: string) => (s.length > 9 ? `${s.slice(0, 8)}…` : s);
  classes.forEach((c, j) => parts.push(`<text x="${(labelW + j * cell + cell / 2).toFixed(1)}" y="${PAD.top + 10}" text-anchor="middle" font-size="10">${escapeHtml(short(c))}</text>`));
  counts.forEach((row, i) => {
    const total = row.reduce((a, b) => a + b, 0);
    const y = PAD.top + 16 + i * cell;
    parts.push(`<text x="${labelW - 4}" y="${(y + cell / 2 + 4).toFixed(1)}" text-anchor="end" font-size="10">${escapeHtml(short(classes[i] ?? String(i)))}</text>`);
    row.forEach((n, j) => {
      const share = total > 0 ? n / total : 0;
      const x = labelW + j * cell;
      parts.push(`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${cell.toFixed(1)}" height="${cell.toFixed(1)}" fill="${i === j ? '#2c7fb8' : '#d95f0e'}" fill-opacity="${(0.08 + 0.8 * share).toFixed(2)}" stroke="#fff"/>`
        + `<text x="${(x + cell / 2).toFixed(1)}" y="${(y + cell / 2 + 4).toFixed(1)}" text-anchor="middle" font-size="${cell < 30 ? 8 : 11}">${n}</text>`);
    });
  });
  parts.push(`<text x="${labelW + (k * cell) / 2}" y="${height - 8}" text-anchor="middle" font-size="11">predicted (rows: actual)</text>`);
  return `<svg class="plot" viewBox="0 0 ${W} ${height}" role="img" aria-label="${escapeHtml(title)}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>`
    + `<text x="${W / 2}" y="16" text-anchor="middle" font-size="13" font-weight="600">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}
