import type { ColumnProfile, DatasetProfile } from '../../Dps.Domain/data/dataset-profile';
import type { CardProfileColumn } from '../../Dps.Domain/registry/model-card';

const pct = (n: number) => `${(n * 100).toFixed(1)}%`;
const num = (n: number | null) => (n === null ? '-' : Number.isInteger(n) ? String(n) : n.toFixed(3));

function describe(column: ColumnProfile): string {
  const association = column.association
    ? ` | with label: ${Object.entries(column.association).map(([k, v]) => `${k} ${(v as number).toFixed(3)}`).join(', ')}`
    : '';
  switch (column.kind) {
    case 'numeric':
      return `${num(column.min)} .. ${num(column.max)}, mean ${num(column.mean)} ± ${num(column.std)}${association}`;
    case 'categorical':
      return `${column.distinct}${column.distinctCapped ? '+' : ''} distinct; top ${column.top.slice(0, 3).map((t) => `${t.value} (${pct(t.count / Math.max(column.count, 1))})`).join(', ')}${association}`;
    case 'temporal':
      return `${column.min ?? '-'} .. ${column.max ?? '-'}`;
    default:
      return 'personal data, hashed: counts only';
  }
}

/** The model card's one-line-per-column view of a gold profile. */
export function profileSummary(profile: DatasetProfile): CardProfileColumn[] {
  return profile.columns.map((c) => ({ name: c.name, type: c.type, missingRate: c.missingRate, summary: describe(c) }));
}
