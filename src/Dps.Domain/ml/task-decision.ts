import type { LabelContract } from '../data/contract-types';
import { Result, err, ok } from '../result';

/** The prediction task of a model. */
export type Task = 'binary' | 'multiclass' | 'regression';

/** Default of the most classes a label may have to be trained as multiclass (a setting). */
export const DEFAULT_MAX_CLASSES = 50;

/** What the label's column and values say, and what the contract declares. */
export interface LabelFacts {
  column: string;
  /** The column holds numbers (integer or number type). */
  numeric: boolean;
  /** Distinct present label values, as text. */
  distinct: string[];
  /** The contract's declared task and positive class, when it has a label. */
  declared?: Pick<LabelContract, 'task' | 'positiveClass'>;
  /** Most classes for multiclass (default DEFAULT_MAX_CLASSES). */
  maxClasses?: number;
}

/** The task to train, its classes (binary: [negative, positive]; multiclass: sorted) and warnings to show the user. */
export interface TaskDecision {
  task: Task;
  positiveClass?: string;
  classes?: string[];
  warnings: string[];
}

/**
 * Decides the task. A declared task wins when the values allow it. Otherwise: two values -> binary; 3..maxClasses
 * values -> multiclass unless the label is a non-integer number; more -> regression for numbers. An integer
 * label never turns into a regression target, or a set of classes, without a warning naming the choice and
 * how to override it (the contract's `label.task`).
 */
export function decideTask(facts: LabelFacts): Result<TaskDecision> {
  const { column, numeric, distinct } = facts;
  const maxClasses = facts.maxClasses ?? DEFAULT_MAX_CLASSES;
  const sorted = sortValues(distinct, numeric);
  const shown = `${sorted.slice(0, 5).join(', ')}${sorted.length > 5 ? ', ...' : ''}`;
  if (distinct.length < 2) {
    return err(`label '${column}' has ${distinct.length} distinct value(s)${shown ? ` (${shown})` : ''}; a model needs two classes or a numeric target`);
  }
  const integers = numeric && distinct.every((v) => Number.isInteger(Number(v)));
  const declared = facts.declared?.task;
  if (declared === 'regression') {
    if (!numeric) return err(`label '${column}' is declared a regression target but is not numeric (values: ${shown}); declare task binary or multiclass`);
    const warnings = integers && distinct.length <= maxClasses
      ? [`label '${column}' has ${distinct.length} integer values (${shown}) and is trained as regression because the contract declares task: regression; declare task: multiclass to train a classifier`]
      : [];
    return ok({ task: 'regression', warnings });
  }
  if (declared === 'binary') {
    if (distinct.length !== 2) return err(`label '${column}' is declared binary but has ${distinct.length} classes (${shown}); declare task multiclass${numeric ? ' or regression' : ''}`);
    return binary(column, sorted, facts.declared?.positiveClass, []);
  }
  if (declared === 'multiclass') {
    if (distinct.length > maxClasses) return err(`label '${column}' has ${distinct.length} classes, more than the ${maxClasses} allowed for multiclass; raise the maximum class count setting or declare task regression`);
    return ok({ task: 'multiclass', classes: sorted, warnings: [] });
  }
  if (distinct.length === 2) return binary(column, sorted, facts.declared?.positiveClass, []);
  if (!numeric || (integers && distinct.length <= maxClasses)) {
    if (distinct.length > maxClasses) return err(`label '${column}' has ${distinct.length} classes, more than the ${maxClasses} allowed for multiclass; raise the maximum class count setting`);
    const warnings = integers ? [`label '${column}' holds ${distinct.length} integer values (${shown}): trained as multiclass; declare task: regression in the contract to predict it as a number`] : [];
    return ok({ task: 'multiclass', classes: sorted, warnings });
  }
  const warnings = integers ? [`label '${column}' holds ${distinct.length} integer values, more than ${maxClasses} classes: trained as regression; declare task: multiclass in the contract (and raise the class limit) to train a classifier`] : [];
  return ok({ task: 'regression', warnings });
}

function binary(column: string, sorted: string[], positive: LabelContract['positiveClass'], warnings: string[]): Result<TaskDecision> {
  const chosen = positive !== undefined ? String(positive) : sorted[1];
  if (!sorted.includes(chosen)) return err(`label '${column}': positive class '${chosen}' does not occur (values: ${sorted.join(', ')})`);
  return ok({ task: 'binary', positiveClass: chosen, classes: [sorted.find((v) => v !== chosen) as string, chosen], warnings });
}

function sortValues(values: string[], numeric: boolean): string[] {
  return [...values].sort((a, b) => (numeric ? Number(a) - Number(b) : a < b ? -1 : a > b ? 1 : 0));
}
