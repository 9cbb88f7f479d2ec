import { ColumnContract, ColumnRule, DataContract, Severity, TypedValue } from './contract-types';
import { describeType, parseTyped } from './value-parsing';

/** A column contract compiled for fast per-cell checks. */
export interface ColumnPlan {
  column: ColumnContract;
  missing: Set<string>;
  map: Map<string, string> | undefined;
  values: Set<string | number | boolean> | undefined;
  pattern: RegExp | undefined;
  severity: Record<ColumnRule, Severity>;
}

/** One rule a cell broke. */
export interface Violation {
  rule: ColumnRule;
  column: string;
  message: string;
}

/** The outcome for one row's cells. */
export interface RowCheck {
  /** Normalised text per column (null when missing); what dedup hashes. */
  normalised: Array<string | null>;
  typed: TypedValue[];
  errors: Violation[];
  warnings: Violation[];
}

/** Compiles every column of the contract, in contract order. */
export function compileColumns(contract: DataContract): ColumnPlan[] {
  return contract.columns.map((column) => ({
    column,
    missing: new Set(column.missingValues ?? contract.missingValues),
    map: column.map ? new Map(Object.entries(column.map)) : undefined,
    values: column.values ? new Set(column.values) : undefined,
    // Patterns must match the whole value.
    pattern: column.pattern !== undefined ? new RegExp(`^(?:${column.pattern})$`) : undefined,
    severity: { type: 'error', null: 'error', range: 'error', domain: 'error', pattern: 'error', 'null-rate': 'error', ...column.severity },
  }));
}

function show(text: string): string {
  return JSON.stringify(text.length > 60 ? text.slice(0, 57) + '...' : text);
}

function listValues(values: Set<string | number | boolean>): string {
  const all = [...values].map((v) => JSON.stringify(v));
  return all.length > 8 ? `${all.slice(0, 8).join(', ')}, ... (${all.length} values)` : all.join(', ');
}

/** Text of a cell as read: CSV gives strings, JSON may give numbers, booleans, null or nested values. */
function cellText(cell: unknown): string | null | undefined {
  if (cell === undefined || cell === null) return null;
  if (typeof cell === 'string') return cell;
  if (typeof cell === 'number' || typeof cell === 'boolean') return String(cell);
  return undefined;
}

/** Normalises, types and checks one row; `cells` are aligned with the plans (undefined: column absent). */
export function checkRow(plans: ColumnPlan[], cells: unknown[]): RowCheck {
  const n = plans.length;
  const normalised: Array<string | null> = new Array(n);
  const typed: TypedValue[] = new Array(n);
  const errors: Violation[] = [];
  const warnings: Violation[] = [];
  const breach = (plan: ColumnPlan, rule: ColumnRule, message: string): void => {
    (plan.severity[rule] === 'error' ? errors : warnings).push({ rule, column: plan.column.name, message });
  };
  for (let i = 0; i < n; i++) {
    const plan = plans[i];
    const column = plan.column;
    let text = cellText(cells[i]);
    if (text === undefined) {
      breach(plan, 'type', `a nested JSON value is not ${describeType(column.type)}`);
      text = null;
    } else if (text !== null) {
      if (column.trim) text = text.trim();
      if (plan.missing.has(text)) text = null;
      else if (plan.map) text = plan.map.get(text) ?? text;
    }
    normalised[i] = text;
    typed[i] = null;
    if (text === null) {
      if (!column.nullable) breach(plan, 'null', 'value is missing but the column is not nullable');
      continue;
    }
    const value = parseTyped(column.type, text);
    if (value === undefined || value === null) {
      breach(plan, 'type', `${show(text)} is not ${describeType(column.type)}`);
      continue;
    }
    typed[i] = value;
    if (column.min !== undefined && value < column.min) breach(plan, 'range', `${value} is below min ${column.min}`);
    if (column.max !== undefined && value > column.max) breach(plan, 'range', `${value} is above max ${column.max}`);
    if (plan.values && !plan.values.has(value)) breach(plan, 'domain', `${show(text)} is not one of ${listValues(plan.values)}`);
    if (plan.pattern && !plan.pattern.test(text)) breach(plan, 'pattern', `${show(text)} does not match /${column.pattern}/`);
  }
  return { normalised, typed, errors, warnings };
}
