/** Delimiters that detection chooses among, in tie-break order. */
export const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;
export type CsvDelimiter = (typeof CANDIDATE_DELIMITERS)[number];

const LF = 0x0a;
const MAX_LINES = 100;

/**
 * Picks the delimiter whose per-line count (outside quotes) is most consistent over the sample's first
 * lines, then the one that splits into more fields; ',' when no candidate occurs (a one-column file).
 */
export function detectDelimiter(sample: Uint8Array, quote = '"'): CsvDelimiter {
  const quoteByte = quote.charCodeAt(0);
  const codes = CANDIDATE_DELIMITERS.map((d) => d.charCodeAt(0));
  const perLine: number[][] = codes.map(() => []);
  const current = codes.map(() => 0);
  let inQuotes = false;
  let lineLength = 0;
  const closeLine = () => {
    if (lineLength > 0) codes.forEach((_, k) => perLine[k].push(current[k]));
    current.fill(0);
    lineLength = 0;
  };
  for (let i = 0; i < sample.length && perLine[0].length < MAX_LINES; i++) {
    const b = sample[i];
    if (b === quoteByte) inQuotes = !inQuotes;
    else if (!inQuotes && b === LF) {
      closeLine();
      continue;
    } else if (!inQuotes) {
      const k = codes.indexOf(b);
      if (k >= 0) current[k]++;
    }
    if (b !== 0x0d) lineLength++;
  }
  // A trailing partial line is only trusted when it is all there is.
  if (perLine[0].length === 0) closeLine();
  let best: CsvDelimiter = ',';
  let bestScore = [0, 0];
  CANDIDATE_DELIMITERS.forEach((delimiter, k) => {
    const score = consistency(perLine[k]);
    if (score[1] > 0 && (score[0] > bestScore[0] || (score[0] === bestScore[0] && score[1] > bestScore[1]))) {
      best = delimiter;
      bestScore = score;
    }
  });
  return best;
}

/** [share of lines having the most common non-zero count, that count]. */
function consistency(counts: number[]): [number, number] {
  const frequency = new Map<number, number>();
  for (const c of counts) if (c > 0) frequency.set(c, (frequency.get(c) ?? 0) + 1);
  let mode = 0;
  let modeLines = 0;
  for (const [count, lines] of frequency) {
    if (lines > modeLines || (lines === modeLines && count > mode)) {
      mode = count;
      modeLines = lines;
    }
  }
  return [counts.length === 0 ? 0 : modeLines / counts.length, mode];
}
