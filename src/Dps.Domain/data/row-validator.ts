import { ColumnContract, ColumnRule, ColumnType, DataContract, Severity, TypedValue } from './contract-types';
import { compilePattern, PatternMatcher } from './contract-pattern';
import { Hash64 } from './hash64';
import { describeType, parseTyped } from './value-parsing';

/** Largest string domain compared value by value; larger ones use the set. */
const MAX_LISTED_DOMAIN = 16;
const NO_BREACHES: RowBreaches = Object.freeze({});

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
  /** Longest missing token and, by ASCII code, whether a token starts with it, so most cells skip the set lookup. */
  missingMaxLength: number;
  missingFirstAscii: Uint8Array;
  map: Map<string, string> | undefined;
  values: Set<string | number | boolean> | undefined;
  /** For text columns whose domain is a few strings: the strings, compared in turn (cheaper than hashing each cell). */
  domain: string[] | undefined;
  pattern: PatternMatcher | undefined;
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
  return contract.columns.map((column) => {
    const missing = column.missingValues ?? contract.missingValues;
    // Non-ASCII first characters (and the empty token) are looked up in the set whatever the flag says.
    const missingFirstAscii = new Uint8Array(128);
    for (const m of missing) if (m.charCodeAt(0) < 128) missingFirstAscii[m.charCodeAt(0)] = 1;
    const textual = column.type === 'string' || column.type === 'category';
    const domain = textual && column.values && column.values.length <= MAX_LISTED_DOMAIN && column.values.every((v) => typeof v === 'string') ? [...new Set(column.values as string[])] : undefined;
    return {
    column,
    name: column.name,
    type: column.type,
    nullable: column.nullable,
    trim: column.trim,
    pii: column.pii,
    min: column.min,
    max: column.max,
    missing: new Set(missing),
    missingMaxLength: Math.max(0, ...missing.map((m) => m.length)),
    missingFirstAscii,
    map: column.map ? new Map(Object.entries(column.map)) : undefined,
    values: column.values ? new Set(column.values) : undefined,
    domain,
    pattern: column.pattern !== undefined ? patternOf(column) : undefined,
    severity: { type: 'error', null: 'error', range: 'error', domain: 'error', pattern: 'error', 'null-rate': 'error', ...column.severity },
    };
  });
}

/** A column's pattern; parseContract refused any pattern RE2 cannot compile, so failing here is a caller's bug. */
function patternOf(column: ColumnContract): PatternMatcher {
  const compiled = compilePattern(column.pattern!);
  if (!compiled.ok) throw new Error(`column '${column.name}': ${compiled.error}`);
  return compiled.value;
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

function breach(found: RowBreaches, plan: ColumnPlan, rule: ColumnRule, message: string): RowBreaches {
  if (found === NO_BREACHES) found = {};
  const violation = { rule, column: plan.name, message };
  if (plan.severity[rule] === 'error') (found.errors ??= []).push(violation);
  else (found.warnings ??= []).push(violation);
  return found;
}

/** Whether trim() could change the text: JavaScript whitespace is all at or below U+0020 or above U+007E. */
function mayNeedTrim(text: string): boolean {
  if (text.length === 0) return false;
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first <= 32 || first >= 127 || last <= 32 || last >= 127;
}

function isMissing(plan: ColumnPlan, text: string): boolean {
  if (text.length > plan.missingMaxLength) return false;
  const first = text.charCodeAt(0);
  // NaN (empty text) and non-ASCII codes go to the set.
  if (first < 128 && plan.missingFirstAscii[first] === 0) return false;
  return plan.missing.has(text);
}

/**
 * Normalises, types and checks one row. `cells` are aligned with the plans (undefined: column absent);
 * fills `normalised` (text after trim/missing/map, null when missing; what dedup hashes) and `typed`.
 * With `hash`, adds every normalised value to it in column order (what hashFields over all columns gives).
 * Without `patterns`, pattern rules are skipped (for callers that test a run of rows' patterns together).
 * The result is shared and empty when the row broke nothing; callers must not modify it.
 */
export function checkRow(plans: ColumnPlan[], cells: ArrayLike<unknown>, normalised: Array<string | null>, typed: TypedValue[], hash?: Hash64, patterns = true): RowBreaches {
  let found = NO_BREACHES;
  for (let i = 0; i < plans.length; i++) {
    const plan = plans[i];
    const cell = cells[i];
    let text: string | null;
    if (typeof cell === 'string') text = cell;
    else {
      const t = cellText(cell);
      if (t === undefined) found = breach(found, plan, 'type', `a nested JSON value is not ${describeType(plan.type)}`);
      text = t ?? null;
    }
    if (text !== null) {
      if (plan.trim && mayNeedTrim(text)) text = text.trim();
      if (isMissing(plan, text)) text = null;
      else if (plan.map) text = plan.map.get(text) ?? text;
    }
    normalised[i] = text;
    typed[i] = null;
    hash?.add(text);
    if (text === null) {
      if (!plan.nullable) found = breach(found, plan, 'null', 'value is missing but the column is not nullable');
      continue;
    }
    let value = parseTyped(plan.type, text);
    if (value === undefined || value === null) {
      found = breach(found, plan, 'type', `${show(text)} is not ${describeType(plan.type)}`);
      continue;
    }
    if (plan.min !== undefined && value < plan.min) found = breach(found, plan, 'range', `${value} is below min ${plan.min}`);
    if (plan.max !== undefined && value > plan.max) found = breach(found, plan, 'range', `${value} is above max ${plan.max}`);
    if (plan.domain) {
      // The domain's own string, so the cell's copy is garbage at once.
      const domain = plan.domain;
      let j = 0;
      while (j < domain.length && domain[j] !== text) j++;
      if (j < domain.length) value = domain[j];
      else found = breach(found, plan, 'domain', `${show(text)} is not one of ${listValues(plan.values!)}`);
    } else if (plan.values && !plan.values.has(value)) found = breach(found, plan, 'domain', `${show(text)} is not one of ${listValues(plan.values)}`);
    if (patterns && plan.pattern && !plan.pattern.matches(text)) found = breach(found, plan, 'pattern', `${show(text)} does not match /${plan.column.pattern}/`);
    typed[i] = value;
  }
  return found;
}
