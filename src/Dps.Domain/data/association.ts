/** Mutual information (bits) of a contingency table: rows = feature values or bins, columns = label classes. */
export function mutualInformation(table: number[][]): number {
  const total = table.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  if (total === 0) return 0;
  const rowSums = table.map((row) => row.reduce((a, b) => a + b, 0));
  const colSums = table[0]?.map((_, j) => table.reduce((s, row) => s + row[j], 0)) ?? [];
  let mi = 0;
  table.forEach((row, i) =>
    row.forEach((n, j) => {
      if (n > 0) mi += (n / total) * Math.log2((n * total) / (rowSums[i] * colSums[j]));
    }),
  );
  return Math.max(0, mi);
}

/** Cramér's V (0 none .. 1 perfect) of a contingency table, from its chi-square statistic. */
export function cramersV(table: number[][]): number {
  const rows = table.filter((row) => row.some((n) => n > 0));
  const total = rows.reduce((s, row) => s + row.reduce((a, b) => a + b, 0), 0);
  const colSums = (rows[0] ?? []).map((_, j) => rows.reduce((s, row) => s + row[j], 0));
  const cols = colSums.filter((c) => c > 0).length;
  const k = Math.min(rows.length, cols) - 1;
  if (total === 0 || k <= 0) return 0;
  let chi2 = 0;
  rows.forEach((row) => {
    const rowSum = row.reduce((a, b) => a + b, 0);
    row.forEach((n, j) => {
      const expected = (rowSum * colSums[j]) / total;
      if (expected > 0) chi2 += (n - expected) ** 2 / expected;
    });
  });
  return Math.sqrt(chi2 / (total * k));
}

/** Running co-moments (Welford) for the correlation of a numeric feature with a numeric or 0/1 target. */
export class CorrelationSums {
  private n = 0;
  private meanX = 0;
  private meanY = 0;
  private m2x = 0;
  private m2y = 0;
  private cxy = 0;

  /** Adds one (feature, target) pair. */
  add(x: number, y: number): void {
    this.n++;
    const dx = x - this.meanX;
    this.meanX += dx / this.n;
    const dy = y - this.meanY;
    this.meanY += dy / this.n;
    this.m2x += dx * (x - this.meanX);
    this.m2y += dy * (y - this.meanY);
    this.cxy += dx * (y - this.meanY);
  }

  /** Pearson r; with a 0/1 target this is the point-biserial correlation. 0 when either side is constant. */
  correlation(): number {
    return this.m2x > 0 && this.m2y > 0 ? this.cxy / Math.sqrt(this.m2x * this.m2y) : 0;
  }
}
