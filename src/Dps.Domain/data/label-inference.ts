import type { ColumnContract, LabelContract } from './contract-types';
import { parseBoolean } from './value-parsing';

const POSITIVE_WORDS = new Set(['1', 'true', 'yes', 'y', 't', 'positive', 'pos']);
// Above this many distinct values a numeric label is a regression target, not classes.
const MAX_CLASSES = 20;

/**
 * Picks the positive class of a two-valued label: a conventional "yes" word (1, true, yes, positive),
 * else a value reading as "more than" (`>50K` against `<=50K`), else the rarer class in the sample,
 * else (a tie) the second value in sorted order.
 */
export function choosePositiveClass(counts: Map<string, number>): string {
  const values = [...counts.keys()].sort();
  const word = values.find((v) => POSITIVE_WORDS.has(v.toLowerCase().replace(/\.$/, '')));
  if (word !== undefined) return word;
  const greater = values.find((v) => v.startsWith('>'));
  if (greater !== undefined) return greater;
  const [a, b] = values;
  const ca = counts.get(a) ?? 0;
  const cb = counts.get(b) ?? 0;
  return ca < cb ? a : b;
}

/** Infers the label's task and positive class from its column and sampled (present) values. */
export function inferLabel(column: ColumnContract, values: string[]): LabelContract {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  if (column.type === 'number' || (column.type === 'integer' && counts.size > MAX_CLASSES)) return { column: column.name, task: 'regression' };
  if (counts.size !== 2) return { column: column.name, task: 'multiclass' };
  const positive = choosePositiveClass(counts);
  const typed = column.type === 'integer' ? Number(positive) : column.type === 'boolean' ? parseBoolean(positive) ?? positive : positive;
  return { column: column.name, task: 'binary', positiveClass: typed };
}
