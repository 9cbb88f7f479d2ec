import { ColumnContract, ColumnRule, ColumnType, DataContract, Severity, TypedValue } from './contract-types';
import { describeType, parseTyped } from './value-parsing';

/**
 * A column contract compiled for fast per-cell checks. Every plan has every field (undefined when
 * unused) so the per-cell code sees one object shape; contract objects vary in shape, which is slow.
 */
export interface ColumnPlan {
  column: ColumnContract;
  name: string;
  type: ColumnType;
  nullable: boolean;
  trim: boolean;
  pii: 'hash' | 'drop' | undefined;
  min: number | string | undefined;
  max: number | string | undefined;
  missing: Set<string>;
  /** Longest missing token and the tokens' first characters, so most cells skip the set lookup. */
  missingMaxLength: number;
  missingFirstChars: Set<number>;
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

/** Rules one row broke, by severity; arrays exist only when non-empty (most rows break nothing). */
export interface RowBreaches {
  errors?: Violation[];
  warnings?: Violation[];
}

/** Compiles every column of the contract, in contract order. */
export function compileColumns(contract: DataContract): ColumnPlan[] {
  return contract.columns.map((column) => ({
    column,
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    trim: column.trim,
    pii: column.pii,
    min: column.min,
    max: column.max,
    missing: new Set(column.missingValues ?? contract.missingValues),
    missingMaxLength: Math.max(0, ...(column.missingValues ?? contract.missingValues).map((m) => m.length)),
    missingFirstChars: new Set((column.missingValues ?? contract.missingValues).map((m) => m.charCodeAt(0))),
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

function breach(found: RowBreaches, plan: ColumnPlan, rule: ColumnRule, message: string): void {
  const violation = { rule, column: plan.name, message };
  if (plan.severity[rule] === 'error') (found.errors ??= []).push(violation);
  else (found.warnings ??= []).push(violation);
}

/**
 * Normalises, types and checks one row. `cells` are aligned with the plans (undefined: column absent);
 * fills `normalised` (text after trim/missing/map, null when missing; what dedup hashes) and `typed`.
 */
export function checkRow(plans: ColumnPlan[], cells: unknown[], normalised: Array<string | null>, typed: TypedValue[]): RowBreaches {
  const found: RowBreaches = {};
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    let text = cellText(cells[i]);
    if (text === undefined) {
      breach(found, plan, 'type', `a nested JSON value is not ${describeType(plan.type)}`);
      text = null;
    } else if (text !== null) {
      if (plan.trim) text = text.trim();
      if (text.length <= plan.missingMaxLength && plan.missingFirstChars.has(text.charCodeAt(0)) && plan.missing.has(text)) text = null;
      else if (plan.map) text = plan.map.get(text) ?? text;
    }
    normalised[i] = text;
    typed[i] = null;
    if (text === null) {
      if (!plan.nullable) breach(found, plan, 'null', 'value is missing but the column is not nullable');
      continue;
    }
    const value = parseTyped(plan.type, text);
    if (value === undefined || value === null) {
      breach(found, plan, 'type', `${show(text)} is not ${describeType(plan.type)}`);
      continue;
    }
    typed[i] = value;
    if (plan.min !== undefined && value < plan.min) breach(found, plan, 'range', `${value} is below min ${plan.min}`);
    if (plan.max !== undefined && value > plan.max) breach(found, plan, 'range', `${value} is above max ${plan.max}`);
    if (plan.values && !plan.values.has(value)) breach(found, plan, 'domain', `${show(text)} is not one of ${listValues(plan.values)}`);
    if (plan.pattern && !plan.pattern.test(text)) breach(found, plan, 'pattern', `${show(text)} does not match /${plan.column.pattern}/`);
  }
  return found;
}
