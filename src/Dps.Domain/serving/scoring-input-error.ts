import { MAX_LISTED_PROBLEMS } from './scoring-limits';

/** The rules a scoring body can break. */
export type ScoringRule =
  | 'body'
  | 'row-count'
  | 'missing-column'
  | 'unknown-column'
  | 'type'
  | 'entity'
  | 'encoding'
  | 'quote'
  | 'row-size'
  | 'json'
  | 'field-count';

/** One thing wrong with a scoring body; `row` is the 0-based index of the row in the request. */
export interface ScoringProblem {
  rule: ScoringRule;
  row?: number;
  column?: string;
  message: string;
}

/** Why nothing was scored: the first problems (at most MAX_LISTED_PROBLEMS), how many there were, and one line for humans. */
export interface ScoringInputError {
  message: string;
  problems: ScoringProblem[];
  total: number;
}

/** One problem as a line: `row 3, column "age": "abc" is not a finite number (type)`. */
export function describeProblem(problem: ScoringProblem): string {
  const where = [problem.row !== undefined ? `row ${problem.row}` : undefined, problem.column !== undefined ? `column "${problem.column}"` : undefined].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${problem.message} (${problem.rule})`;
}

/** Bundles problems into the error value: the message is the first problem plus a count of the others. */
export function scoringInputError(problems: ScoringProblem[], total = problems.length): ScoringInputError {
  const listed = problems.slice(0, MAX_LISTED_PROBLEMS);
  const more = total > 1 ? `; ${total - 1} more problem${total > 2 ? 's' : ''}` : '';
  return { message: `nothing was scored: ${describeProblem(listed[0])}${more}`, problems: listed, total };
}
