import { isJsonObject } from '../json-object';
import { Result, ok, err } from '../result';
import {
  COLUMN_RULES,
  COLUMN_TYPES,
  ColumnContract,
  ColumnType,
  DATASET_RULES,
  DataContract,
  DataFormat,
  LabelContract,
  Severity,
} from './contract-types';
import { compilePattern } from './contract-pattern';
import { describeType, parseTyped } from './value-parsing';

type Json = Record<string, unknown>;

/** Collects problems, each prefixed with the JSON path it is about (`$.columns[2].type`). */
class Problems {
  readonly list: string[] = [];
  add(path: string, message: string): void {
    this.list.push(`${path}: ${message}`);
  }
}

function checkKeys(obj: Json, allowed: readonly string[], path: string, problems: Problems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) problems.add(`${path}.${key}`, `unknown field (allowed: ${allowed.join(', ')})`);
  }
}

function optionalBoolean(obj: Json, key: string, fallback: boolean, path: string, problems: Problems): boolean {
  const value = obj[key];
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') problems.add(`${path}.${key}`, 'must be true or false');
  return value === true;
}

function optionalString(obj: Json, key: string, path: string, problems: Problems): string | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') problems.add(`${path}.${key}`, 'must be a string');
  return typeof value === 'string' ? value : undefined;
}

function optionalRate(obj: Json, key: string, path: string, problems: Problems): number | undefined {
  const value = obj[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    problems.add(`${path}.${key}`, 'must be a number between 0 and 1');
    return undefined;
  }
  return value;
}

function stringList(value: unknown, path: string, problems: Problems): string[] | undefined {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) {
    problems.add(path, 'must be an array of strings');
    return undefined;
  }
  return value as string[];
}

function severityMap<R extends string>(value: unknown, rules: readonly R[], path: string, problems: Problems) {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    problems.add(path, 'must be an object of rule -> "error" | "warn"');
    return undefined;
  }
  const out: Partial<Record<R, Severity>> = {};
  for (const [rule, level] of Object.entries(value)) {
    if (!(rules as readonly string[]).includes(rule)) problems.add(`${path}.${rule}`, `unknown rule (allowed: ${rules.join(', ')})`);
    else if (level !== 'error' && level !== 'warn') problems.add(`${path}.${rule}`, 'must be "error" or "warn"');
    else out[rule as R] = level;
  }
  return out;
}

const DELIMITERS = [',', ';', '\t', '|', 'auto'] as const;

function readFormat(value: unknown, problems: Problems): DataFormat {
  const path = '$.format';
  const fallback: DataFormat = { type: 'csv', delimiter: ',', header: true, quote: '"', encoding: 'utf-8' };
  if (value === undefined) return fallback;
  if (!isJsonObject(value)) {
    problems.add(path, 'must be an object');
    return fallback;
  }
  const encoding = value.encoding ?? 'utf-8';
  if (typeof encoding !== 'string' || !/^utf-?8$/i.test(encoding)) problems.add(`${path}.encoding`, 'must be "utf-8" (the only supported encoding)');
  if (value.type === 'jsonl') {
    checkKeys(value, ['type', 'encoding'], path, problems);
    return { type: 'jsonl', encoding: 'utf-8' };
  }
  if (value.type !== 'csv' && value.type !== undefined) problems.add(`${path}.type`, 'must be "csv" or "jsonl"');
  checkKeys(value, ['type', 'delimiter', 'header', 'quote', 'encoding'], path, problems);
  const delimiter = value.delimiter ?? ',';
  if (!DELIMITERS.includes(delimiter as (typeof DELIMITERS)[number])) {
    problems.add(`${path}.delimiter`, 'must be one of ",", ";", "\\t", "|" or "auto"');
  }
  const quote = value.quote ?? '"';
  if (typeof quote !== 'string' || quote.length !== 1 || quote.charCodeAt(0) > 127) problems.add(`${path}.quote`, 'must be one ASCII character');
  return {
    type: 'csv',
    delimiter: DELIMITERS.includes(delimiter as (typeof DELIMITERS)[number]) ? (delimiter as (typeof DELIMITERS)[number]) : ',',
    header: optionalBoolean(value, 'header', true, path, problems),
    quote: typeof quote === 'string' && quote.length === 1 ? quote : '"',
    encoding: 'utf-8',
  };
}

const COLUMN_KEYS = [
  'name', 'type', 'nullable', 'required', 'missingValues', 'min', 'max', 'values', 'pattern', 'pii', 'trim', 'map',
  'mostly', 'severity', 'description',
];

function readBound(type: ColumnType, value: unknown, path: string, problems: Problems): number | string | undefined {
  if (value === undefined) return undefined;
  if (type === 'integer' || type === 'number') {
    if (typeof value === 'number' && Number.isFinite(value)) return value;
    problems.add(path, 'must be a number');
  } else if (type === 'date' || type === 'timestamp') {
    const parsed = typeof value === 'string' ? parseTyped(type, value) : undefined;
    if (typeof parsed === 'string') return parsed;
    problems.add(path, `must be ${describeType(type)}`);
  } else {
    problems.add(path, `min/max apply to integer, number, date and timestamp columns, not ${type}`);
  }
  return undefined;
}

function readValues(type: ColumnType, value: unknown, path: string, problems: Problems): Array<string | number | boolean> | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value) || value.length === 0) {
    problems.add(path, 'must be a non-empty array');
    return undefined;
  }
  const out: Array<string | number | boolean> = [];
  value.forEach((v, i) => {
    // Allowed values may be written as JSON scalars or as text; both must parse as the column type.
    const parsed = typeof v === 'string' ? parseTyped(type, v) : typeof v === 'number' || typeof v === 'boolean' ? parseTyped(type, String(v)) : undefined;
    if (parsed === undefined || parsed === null) problems.add(`${path}[${i}]`, `must be ${describeType(type)}`);
    else out.push(parsed);
  });
  return out;
}

function readColumn(value: unknown, path: string, problems: Problems): ColumnContract | undefined {
  if (!isJsonObject(value)) {
    problems.add(path, 'must be an object');
    return undefined;
  }
  checkKeys(value, COLUMN_KEYS, path, problems);
  const name = value.name;
  if (typeof name !== 'string' || name.length === 0) problems.add(`${path}.name`, 'must be a non-empty string');
  const type = value.type as ColumnType;
  if (!COLUMN_TYPES.includes(type)) {
    problems.add(`${path}.type`, `must be one of ${COLUMN_TYPES.join(', ')}`);
    return undefined;
  }
  const column: ColumnContract = {
    name: typeof name === 'string' ? name : '',
    type,
    nullable: optionalBoolean(value, 'nullable', true, path, problems),
    required: optionalBoolean(value, 'required', true, path, problems),
    trim: optionalBoolean(value, 'trim', false, path, problems),
  };
  if (value.missingValues !== undefined) column.missingValues = stringList(value.missingValues, `${path}.missingValues`, problems);
  const min = readBound(type, value.min, `${path}.min`, problems);
  const max = readBound(type, value.max, `${path}.max`, problems);
  if (min !== undefined) column.min = min;
  if (max !== undefined) column.max = max;
  if (min !== undefined && max !== undefined && min > max) problems.add(`${path}.min`, `must not exceed max (${min} > ${max})`);
  const values = readValues(type, value.values, `${path}.values`, problems);
  if (values) column.values = values;
  const pattern = optionalString(value, 'pattern', path, problems);
  if (pattern !== undefined) {
    const compiled = compilePattern(pattern);
    if (compiled.ok) column.pattern = pattern;
    else problems.add(`${path}.pattern`, compiled.error);
  }
  if (value.pii !== undefined) {
    if (value.pii === 'hash' || value.pii === 'drop') column.pii = value.pii;
    else problems.add(`${path}.pii`, 'must be "hash" or "drop"');
  }
  if (value.map !== undefined) {
    if (isJsonObject(value.map) && Object.values(value.map).every((v) => typeof v === 'string')) column.map = value.map as Record<string, string>;
    else problems.add(`${path}.map`, 'must be an object of text -> text');
  }
  const mostly = optionalRate(value, 'mostly', path, problems);
  if (mostly !== undefined) column.mostly = mostly;
  const severity = severityMap(value.severity, COLUMN_RULES, `${path}.severity`, problems);
  if (severity) column.severity = severity;
  const description = optionalString(value, 'description', path, problems);
  if (description !== undefined) column.description = description;
  return column;
}

function readColumns(value: unknown, problems: Problems): ColumnContract[] {
  if (!Array.isArray(value) || value.length === 0) {
    problems.add('$.columns', 'must be a non-empty array of column objects');
    return [];
  }
  const columns: ColumnContract[] = [];
  const seen = new Set<string>();
  value.forEach((raw, i) => {
    const column = readColumn(raw, `$.columns[${i}]`, problems);
    if (!column) return;
    if (seen.has(column.name)) problems.add(`$.columns[${i}].name`, `duplicate column name '${column.name}'`);
    seen.add(column.name);
    columns.push(column);
  });
  return columns;
}

function readPrimaryKey(value: unknown, columns: ColumnContract[], problems: Problems): string[] | undefined {
  if (value === undefined) return undefined;
  const names = stringList(value, '$.primaryKey', problems);
  if (!names) return undefined;
  if (names.length === 0) problems.add('$.primaryKey', 'must name at least one column');
  names.forEach((name, i) => {
    const column = columns.find((c) => c.name === name);
    if (!column) problems.add(`$.primaryKey[${i}]`, `no column named '${name}'`);
    else if (column.nullable) problems.add(`$.primaryKey[${i}]`, `key column '${name}' must have "nullable": false`);
    if (names.indexOf(name) !== i) problems.add(`$.primaryKey[${i}]`, `'${name}' is listed twice`);
  });
  return names;
}

function readLabel(value: unknown, columns: ColumnContract[], problems: Problems): LabelContract | undefined {
  if (value === undefined) return undefined;
  const path = '$.label';
  if (!isJsonObject(value)) {
    problems.add(path, 'must be an object');
    return undefined;
  }
  checkKeys(value, ['column', 'task', 'positiveClass'], path, problems);
  const column = columns.find((c) => c.name === value.column);
  if (!column) {
    problems.add(`${path}.column`, `must name a declared column (got ${JSON.stringify(value.column)})`);
    return undefined;
  }
  if (column.pii) problems.add(`${path}.column`, `label column '${column.name}' cannot be PII`);
  const task = value.task ?? (column.type === 'number' ? 'regression' : 'binary');
  if (task !== 'binary' && task !== 'multiclass' && task !== 'regression') {
    problems.add(`${path}.task`, 'must be "binary", "multiclass" or "regression"');
    return undefined;
  }
  const label: LabelContract = { column: column.name, task };
  if (value.positiveClass === undefined) {
    if (task === 'binary') problems.add(`${path}.positiveClass`, 'is required for a binary label');
    return label;
  }
  if (task !== 'binary') problems.add(`${path}.positiveClass`, 'only applies to a binary label');
  const positive = parseTyped(column.type, String(value.positiveClass));
  if (positive === undefined || positive === null) problems.add(`${path}.positiveClass`, `must be ${describeType(column.type)}`);
  else if (column.values && !column.values.includes(positive)) problems.add(`${path}.positiveClass`, `${JSON.stringify(positive)} is not among the values of '${column.name}'`);
  else label.positiveClass = positive;
  return label;
}

function readRowCount(value: unknown, problems: Problems): DataContract['rowCount'] {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    problems.add('$.rowCount', 'must be an object {min, max}');
    return undefined;
  }
  checkKeys(value, ['min', 'max'], '$.rowCount', problems);
  const out: { min?: number; max?: number } = {};
  for (const key of ['min', 'max'] as const) {
    const bound = value[key];
    if (bound === undefined) continue;
    if (typeof bound === 'number' && Number.isSafeInteger(bound) && bound >= 0) out[key] = bound;
    else problems.add(`$.rowCount.${key}`, 'must be a non-negative integer');
  }
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) problems.add('$.rowCount.min', `must not exceed max (${out.min} > ${out.max})`);
  return out;
}

const TOP_KEYS = [
  'contractVersion', 'dataset', 'description', 'format', 'missingValues', 'columns', 'primaryKey', 'label', 'rowCount',
  'maxQuarantineRate', 'severity', 'quarantine',
];

const RAW_TEXT_MODES = ['keep', 'pii-hashed'] as const;

function readQuarantine(value: unknown, problems: Problems): DataContract['quarantine'] {
  if (value === undefined) return undefined;
  if (!isJsonObject(value)) {
    problems.add('$.quarantine', `must be an object {"rawText": ${RAW_TEXT_MODES.map((m) => `"${m}"`).join(' | ')}}`);
    return undefined;
  }
  checkKeys(value, ['rawText'], '$.quarantine', problems);
  const rawText = value.rawText ?? 'pii-hashed';
  if (!(RAW_TEXT_MODES as readonly unknown[]).includes(rawText)) {
    problems.add('$.quarantine.rawText', `must be one of ${RAW_TEXT_MODES.map((m) => `"${m}"`).join(', ')} (got ${JSON.stringify(rawText)})`);
    return undefined;
  }
  return { rawText: rawText as (typeof RAW_TEXT_MODES)[number] };
}

/** Checks a parsed JSON document against the contract schema; errors name the JSON path and the rule. */
export function parseContract(doc: unknown): Result<DataContract, string[]> {
  const problems = new Problems();
  if (!isJsonObject(doc)) return err(['$: a data contract must be a JSON object']);
  if (doc.contractVersion !== 1) return err([`$.contractVersion: must be 1 (got ${JSON.stringify(doc.contractVersion)})`]);
  checkKeys(doc, TOP_KEYS, '$', problems);
  const dataset = doc.dataset;
  if (typeof dataset !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/.test(dataset)) {
    problems.add('$.dataset', 'must be a name of letters, digits, ".", "_" or "-" (it is used in blob paths)');
  }
  const columns = readColumns(doc.columns, problems);
  const contract: DataContract = {
    contractVersion: 1,
    dataset: typeof dataset === 'string' ? dataset : '',
    format: readFormat(doc.format, problems),
    missingValues: doc.missingValues === undefined ? [''] : stringList(doc.missingValues, '$.missingValues', problems) ?? [],
    columns,
  };
  const description = optionalString(doc, 'description', '$', problems);
  if (description !== undefined) contract.description = description;
  const primaryKey = readPrimaryKey(doc.primaryKey, columns, problems);
  if (primaryKey) contract.primaryKey = primaryKey;
  const label = readLabel(doc.label, columns, problems);
  if (label) contract.label = label;
  const rowCount = readRowCount(doc.rowCount, problems);
  if (rowCount) contract.rowCount = rowCount;
  const maxQuarantineRate = optionalRate(doc, 'maxQuarantineRate', '$', problems);
  if (maxQuarantineRate !== undefined) contract.maxQuarantineRate = maxQuarantineRate;
  const severity = severityMap(doc.severity, DATASET_RULES, '$.severity', problems);
  if (severity) contract.severity = severity;
  const quarantine = readQuarantine(doc.quarantine, problems);
  if (quarantine) contract.quarantine = quarantine;
  return problems.list.length > 0 ? err(problems.list) : ok(contract);
}

/** Parses contract JSON text; a syntax error is reported like a schema error, at `$`. */
export function parseContractText(text: string): Result<DataContract, string[]> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err([`$: not valid JSON (${(e as Error).message})`]);
  }
  return parseContract(doc);
}
