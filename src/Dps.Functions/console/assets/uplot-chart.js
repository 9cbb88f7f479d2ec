// uPlot charts as Preact components: the library draws, this only hands it options and data.
import uPlot from '../vendor/uplot/dist/uPlot.esm.js';
import { html, useEffect, useRef } from './preact.js';

const css = document.createElement('link');
css.rel = 'stylesheet';
css.href = new URL('../vendor/uplot/dist/uPlot.min.css', import.meta.url).toString();
document.head.append(css);

/** Colours of the series, in order. */
export const PALETTE = ['#2f6fb0', '#c8553d', '#4a9c5d', '#8a5fbf', '#d19a2a', '#3b9ab2', '#7d7d7d'];

/** A uPlot chart; `data` is uPlot's column form `[xs, ys1, ys2, ...]`, redrawn when it changes. */
export function Chart({ options, data, height = 220 }) {
  const box = useRef(null);
  useEffect(() => {
    const width = Math.max(320, box.current.clientWidth || 640);
    const plot = new uPlot({ width, height, ...options }, data, box.current);
    return () => plot.destroy();
  }, [options.title, JSON.stringify(options.series?.map((s) => s.label)), JSON.stringify(data)]);
  return html`<div class="chart" ref=${box}></div>`;
}

/** A stacked bar chart over named categories: `{ options, data }` for Chart; `series`: `[{ label, values }]`. */
export function stackedBars(title, names, series, format = (v) => String(v)) {
  // uPlot does not stack: draw running totals, the largest first, so each series shows as its own segment.
  const totals = series.map((_, i) => names.map((__, j) => series.slice(0, i + 1).reduce((sum, x) => sum + (x.values[j] ?? 0), 0)));
  const order = series.map((_, i) => series.length - 1 - i);
  return {
    options: {
      title,
      scales: { x: { time: false, range: [-0.5, names.length - 0.5] } },
      axes: [
        { values: (_, ticks) => ticks.map((t) => names[t] ?? ''), splits: () => names.map((_, i) => i) },
        { values: (_, ticks) => ticks.map(format), size: 70 },
      ],
      series: [{ label: 'at', value: (_, x) => names[x] ?? '' }, ...order.map((i) => ({
        label: series[i].label, fill: PALETTE[i % PALETTE.length], stroke: PALETTE[i % PALETTE.length],
        paths: uPlot.paths.bars({ size: [0.6, 80] }), points: { show: false },
        value: (_, __, ___, idx) => (idx === null || idx === undefined ? '–' : format(series[i].values[idx] ?? 0)),
      }))],
    },
    data: [names.map((_, j) => j), ...order.map((i) => totals[i])],
  };
}

// A numbered x (versions, steps, windows) only has whole values: no ticks in between.
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000];

/** Options for a line chart over time (x in seconds since the epoch) or over a numbered x when `time` is false. */
export function lineOptions(title, series, { time = true, yLabel = '' } = {}) {
  return {
    title,
    scales: { x: { time } },
    axes: [time ? {} : { incrs: WHOLE_STEPS }, { label: yLabel }],
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: PALETTE[i % PALETTE.length], width: 2, value: s.value, points: { show: true } }))],
  };
}
