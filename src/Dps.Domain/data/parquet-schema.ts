import type { ColumnType, DataContract, DatasetRule, Severity } from './contract-types';
import type { ValidationFinding } from './validation-report';
import { parseTyped } from './value-parsing';

/** One top-level column of a Parquet file, as its footer declares it. */
export interface ParquetColumn {
  name: string;
  /** Physical type as stored (BOOLEAN, INT32, INT64, INT96, FLOAT, DOUBLE, BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY), or GROUP for a nested column. */
  physicalType: string;
  /** The logical or converted type annotation (STRING, DATE, TIMESTAMP, DECIMAL, INTEGER, ...), when there is one. */
  logicalType?: string;
  /** The contract type its values read as; undefined when none does (nested, time of day, interval, BSON). */
  type: ColumnType | undefined;
  /** False only for a REQUIRED column: the file cannot hold a null there. */
  nullable: boolean;
}

const INTEGER_ANNOTATIONS = new Set(['INTEGER', 'INT_8', 'INT_16', 'INT_32', 'INT_64', 'UINT_8', 'UINT_16', 'UINT_32', 'UINT_64']);
const TEXT_ANNOTATIONS = new Set(['STRING', 'UTF8', 'ENUM', 'JSON', 'UUID']);
const TIMESTAMP_ANNOTATIONS = new Set(['TIMESTAMP', 'TIMESTAMP_MILLIS', 'TIMESTAMP_MICROS']);

/**
 * The contract type a Parquet column's values read as, from its physical type and annotation
 * (`decimalScale` for DECIMAL: scale 0 reads as integer). A plain BYTE_ARRAY reads as text, as older
 * writers store strings so.
 */
export function parquetColumnType(physicalType: string, logicalType: string | undefined, decimalScale = 0): ColumnType | undefined {
  if (physicalType === 'GROUP') return undefined;
  if (logicalType === 'DATE') return 'date';
  if ((logicalType !== undefined && TIMESTAMP_ANNOTATIONS.has(logicalType)) || physicalType === 'INT96') return 'timestamp';
  if (logicalType === 'DECIMAL') return decimalScale === 0 ? 'integer' : 'number';
  if (logicalType !== undefined && TEXT_ANNOTATIONS.has(logicalType)) return 'string';
  if (logicalType === 'FLOAT16') return 'number';
  if (logicalType !== undefined && !INTEGER_ANNOTATIONS.has(logicalType)) return undefined;
  switch (physicalType) {
    case 'BOOLEAN':
      return 'boolean';
    case 'INT32':
    case 'INT64':
      return 'integer';
    case 'FLOAT':
    case 'DOUBLE':
      return 'number';
    case 'BYTE_ARRAY':
      return logicalType === undefined ? 'string' : undefined;
    default:
      return undefined;
  }
}

/**
 * Whether values of a file's column type can satisfy a contract type: numbers, booleans need typed
 * columns; dates and timestamps may also come as ISO text (parsed per row, as from CSV); text and
 * category columns take any scalar (its text is what is checked).
 */
export function parquetTypeFits(contractType: ColumnType, fileType: ColumnType): boolean {
  if (fileType === contractType) return true;
  switch (contractType) {
    case 'string':
    case 'category':
      return true;
    case 'number':
      return fileType === 'integer';
    case 'date':
    case 'timestamp':
      return fileType === 'string';
    default:
      return false;
  }
}

/**
 * Whether any value of a declared domain is text a typed file column can give (as the validator sees it:
 * `true`/`false`, decimal numbers, ISO dates): a domain of `yes`/`no` is out of reach of a BOOLEAN column.
 */
function domainReachable(values: Array<string | number | boolean>, fileType: ColumnType): boolean {
  if (fileType === 'string') return true;
  const texts = values.map(String);
  if (fileType === 'boolean') return texts.some((t) => t === 'true' || t === 'false');
  return texts.some((t) => parseTyped(fileType, t) !== undefined);
}

function describe(column: ParquetColumn): string {
  return column.logicalType !== undefined ? `${column.physicalType} (${column.logicalType})` : column.physicalType;
}

/** A schema finding and how it counts. */
export interface SchemaFinding {
  severity: Severity;
  finding: ValidationFinding;
}

/**
 * Checks a Parquet file's schema against the contract before any row is read: a column the contract
 * requires that is missing (rule missing-column), a column the contract does not know (extra-column),
 * a column whose type cannot hold the contract's (type, always an error), a duplicated name, and a
 * column that may hold nulls where the contract allows none (null: a warning by default, since most
 * writers declare every column OPTIONAL; rows that hold a null are quarantined like CSV rows).
 * `severity` gives the contract's severity of a dataset rule.
 */
export function checkParquetSchema(columns: ParquetColumn[], contract: DataContract, source: string, severity: (rule: DatasetRule) => Severity): SchemaFinding[] {
  const found: SchemaFinding[] = [];
  const byName = new Map<string, ParquetColumn>();
  const optional: string[] = [];
  for (const column of columns) {
    if (byName.has(column.name)) found.push({ severity: 'error', finding: { rule: 'duplicate-column', column: column.name, message: `column '${column.name}' appears more than once in the Parquet schema of ${source}` } });
    byName.set(column.name, column);
  }
  for (const declared of contract.columns) {
    const column = byName.get(declared.name);
    if (!column) {
      const required = declared.required;
      found.push({
        severity: required ? severity('missing-column') : 'warn',
        finding: { rule: 'missing-column', column: declared.name, message: `column '${declared.name}' is ${required ? 'required but ' : ''}missing from the Parquet schema of ${source}${required ? '' : ' (its values are read as missing)'}` },
      });
      continue;
    }
    if (column.type === undefined || !parquetTypeFits(declared.type, column.type)) {
      const reads = column.type === undefined ? 'which DPS cannot read as a column value' : `whose values are ${column.type}`;
      found.push({ severity: 'error', finding: { rule: 'type', column: declared.name, message: `column '${declared.name}' is ${describe(column)} in ${source}, ${reads}; the contract declares ${declared.type}` } });
      continue;
    }
    if (declared.values && declared.values.length > 0 && !declared.map && !domainReachable(declared.values, column.type)) {
      const shown = declared.values.slice(0, 8).map((v) => JSON.stringify(v)).join(', ');
      found.push({ severity: 'error', finding: { rule: 'type', column: declared.name, message: `column '${declared.name}' is ${describe(column)} in ${source}, whose values are ${column.type}: none can be one of the contract's values ${shown}` } });
      continue;
    }
    if (column.nullable && !declared.nullable) optional.push(declared.name);
  }
  // One finding for all of them: most writers mark every column OPTIONAL, so one line per column is noise.
  if (optional.length > 0) {
    found.push({
      severity: 'warn',
      finding: { rule: 'null', column: optional[0], message: `${optional.length} column(s) are OPTIONAL (nullable) in the Parquet schema of ${source} where the contract says nullable: false (${optional.map((n) => `'${n}'`).join(', ')}); rows holding a null are quarantined` },
    });
  }
  const declared = new Set(contract.columns.map((c) => c.name));
  const extra = columns.filter((c) => !declared.has(c.name)).map((c) => c.name);
  if (extra.length > 0) {
    found.push({
      severity: severity('extra-column'),
      finding: { rule: 'extra-column', column: extra[0], message: `${extra.length} column(s) of ${source} are not in the contract and are dropped: ${extra.map((n) => `'${n}'`).join(', ')}` },
    });
  }
  return found;
}
