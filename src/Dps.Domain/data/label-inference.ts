import type { ColumnContract, LabelContract } from './contract-types';
import { parseBoolean } from './value-parsing';
import { DEFAULT_MAX_CLASSES } from '../ml/task-decision';

const POSITIVE_WORDS = new Set(['1', 'true', 'yes', 'y', 't', 'positive', 'pos']);
/**
 * A numeric label needs more distinct values than this to be a regression target; with fewer (and more
 * than two) it is a set of classes. Inference and training decide with the same number.
 */
export const MAX_CLASSES = 10;

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

/** The task a label's distinct values call for: two classes are binary, a numeric label with many values regression. */
export function labelTask(numeric: boolean, distinct: number): LabelContract['task'] {
  if (distinct === 2) return 'binary';
  return numeric && distinct > MAX_CLASSES ? 'regression' : 'multiclass';
}

/**
 * Why DPS cannot train on a label with these distinct values (undefined when it can): fewer than two values,
 * or more classes than multiclass takes (DEFAULT_MAX_CLASSES); one line naming the label and its classes.
 */
export function untrainableLabel(column: string, numeric: boolean, distinct: string[], maxClasses = DEFAULT_MAX_CLASSES): string | undefined {
  if (distinct.length >= 2 && (labelTask(numeric, distinct.length) !== 'multiclass' || distinct.length <= maxClasses)) return undefined;
  const sorted = [...distinct].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
  const shown = `${sorted.slice(0, 5).join(', ')}${sorted.length > 5 ? ', ...' : ''}`;
  if (distinct.length < 2) return `label '${column}' has ${distinct.length} distinct value(s)${shown ? ` (${shown})` : ''}; a model needs two classes or a numeric target`;
  return `label '${column}' has ${distinct.length} classes (${shown}), more than the ${maxClasses} a multiclass model takes; raise DPS_TRAINING_MAX_CLASSES or choose another label`;
}

/** Infers the label's task and positive class from its column and sampled (present) values. */
export function inferLabel(column: ColumnContract, values: string[]): LabelContract {
  const counts = new Map<string, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const numeric = column.type === 'number' || column.type === 'integer';
  const task = labelTask(numeric, counts.size);
  if (task !== 'binary') return { column: column.name, task };
  const positive = choosePositiveClass(counts);
  const typed = numeric ? Number(positive) : column.type === 'boolean' ? parseBoolean(positive) ?? positive : positive;
  return { column: column.name, task: 'binary', positiveClass: typed };
}
