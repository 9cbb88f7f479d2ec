// Turns API values into short display text; the UI library escapes whatever these return.

/** A duration in ms as "850 ms", "42 s", "3.5 min", "2.1 h" or "1.5 d"; "–" when unknown. */
export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '–';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  if (ms < 3_600_000) return `${(ms / 60_000).toFixed(1)} min`;
  if (ms < 86_400_000) return `${(ms / 3_600_000).toFixed(1)} h`;
  return `${(ms / 86_400_000).toFixed(1)} d`;
}

/** A share in [0, 1] as a percentage. */
export const percent = (share, digits = 1) => (share === null || share === undefined ? '–' : `${(share * 100).toFixed(digits)}%`);

/** A number with at most `digits` decimals. */
export const number = (x, digits = 2) => (x === null || x === undefined ? '–' : Number(x).toLocaleString(undefined, { maximumFractionDigits: digits }));

/** A money amount; small per-run costs keep their significant digits. */
export function money(amount, currency = 'USD') {
  if (amount === null || amount === undefined) return '–';
  const digits = Math.abs(amount) >= 1 || amount === 0 ? 2 : Math.min(8, 2 - Math.floor(Math.log10(Math.abs(amount))));
  return `${Number(amount).toFixed(digits)} ${currency}`;
}

/** An ISO timestamp in the browser's zone, to the second. */
export const when = (iso) => (iso ? new Date(iso).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'medium' }) : '–');

/** Any value as one line of text (objects as compact JSON). */
export const text = (value) => (value === null || value === undefined ? '–' : typeof value === 'object' ? JSON.stringify(value) : String(value));
