import { describe, expect, it } from 'vitest';
import { isParquet } from '../../../src/Dps.Domain/data/format-detection';
import { ParquetColumn, checkParquetSchema, parquetColumnType } from '../../../src/Dps.Domain/data/parquet-schema';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';
import type { DataContract, DatasetRule, Severity } from '../../../src/Dps.Domain/data/contract-types';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('Parquet detection', () => {
  it('needs PAR1 at both ends', () => {
    expect(isParquet(bytes('PAR1'), bytes('....PAR1'))).toBe(true);
    expect(isParquet(bytes('PAR1'), bytes('PAR1'))).toBe(true);
    // A text file that happens to start with the magic, and a truncated upload missing its footer.
    expect(isParquet(bytes('PAR1,a,b'), bytes('1,2,3\n'))).toBe(false);
    expect(isParquet(bytes('id,x'), bytes('PAR1'))).toBe(false);
    expect(isParquet(bytes('PAR'), bytes('PAR1'))).toBe(false);
    expect(isParquet(new Uint8Array(0), new Uint8Array(0))).toBe(false);
  });
});

describe('Parquet column types', () => {
  it('maps physical and logical types to contract types', () => {
    expect(parquetColumnType('INT64', undefined)).toBe('integer');
    expect(parquetColumnType('INT32', 'INT_16')).toBe('integer');
    expect(parquetColumnType('INT64', 'INTEGER')).toBe('integer');
    expect(parquetColumnType('DOUBLE', undefined)).toBe('number');
    expect(parquetColumnType('INT64', 'DECIMAL', 2)).toBe('number');
    expect(parquetColumnType('INT64', 'DECIMAL', 0)).toBe('integer');
    expect(parquetColumnType('BYTE_ARRAY', 'STRING')).toBe('string');
    expect(parquetColumnType('BYTE_ARRAY', 'UTF8')).toBe('string');
    expect(parquetColumnType('BYTE_ARRAY', undefined)).toBe('string');
    expect(parquetColumnType('INT32', 'DATE')).toBe('date');
    expect(parquetColumnType('INT64', 'TIMESTAMP')).toBe('timestamp');
    expect(parquetColumnType('INT64', 'TIMESTAMP_MICROS')).toBe('timestamp');
    expect(parquetColumnType('INT96', undefined)).toBe('timestamp');
    expect(parquetColumnType('BOOLEAN', undefined)).toBe('boolean');
    expect(parquetColumnType('INT64', 'TIME')).toBeUndefined();
    expect(parquetColumnType('GROUP', 'LIST')).toBeUndefined();
    expect(parquetColumnType('BYTE_ARRAY', 'BSON')).toBeUndefined();
  });
});

function contract(): DataContract {
  const parsed = parseContract({
    contractVersion: 1,
    dataset: 'orders',
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'amount', type: 'number' },
      { name: 'day', type: 'date' },
      { name: 'region', type: 'category', values: ['north', 'south'] },
      { name: 'note', type: 'string', required: false },
    ],
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

const col = (name: string, type: ParquetColumn['type'], physicalType = 'INT64', nullable = false, logicalType?: string): ParquetColumn => ({
  name, type, physicalType, nullable, ...(logicalType ? { logicalType } : {}),
});

const fitting = [col('id', 'integer'), col('amount', 'integer', 'INT32'), col('day', 'date', 'INT32', true, 'DATE'), col('region', 'string', 'BYTE_ARRAY', true, 'STRING'), col('note', 'string', 'BYTE_ARRAY', true)];
const defaults: Record<DatasetRule, Severity> = { 'missing-column': 'error', 'extra-column': 'warn', 'row-count': 'error', 'key-unique': 'error', 'quarantine-rate': 'error' };
const check = (columns: ParquetColumn[], c = contract()) => checkParquetSchema(columns, c, 'orders.parquet', (rule) => c.severity?.[rule] ?? defaults[rule]);

describe('Parquet schema check', () => {
  it('passes a schema that fits, in any column order', () => {
    expect(check(fitting)).toEqual([]);
    expect(check([...fitting].reverse())).toEqual([]);
  });

  it('names the file, column and rule of a missing required column; an optional one only warns', () => {
    const found = check(fitting.filter((c) => c.name !== 'amount' && c.name !== 'note'));
    expect(found.map((f) => [f.severity, f.finding.rule, f.finding.column])).toEqual([
      ['error', 'missing-column', 'amount'],
      ['warn', 'missing-column', 'note'],
    ]);
    expect(found[0].finding.message).toContain('orders.parquet');
  });

  it('rejects a type that cannot hold the contract type, saying both', () => {
    const found = check(fitting.map((c) => (c.name === 'id' ? col('id', 'number', 'DOUBLE') : c.name === 'day' ? col('day', 'timestamp', 'INT64', true, 'TIMESTAMP') : c)));
    expect(found.map((f) => [f.severity, f.finding.rule, f.finding.column])).toEqual([['error', 'type', 'id'], ['error', 'type', 'day']]);
    expect(found[0].finding.message).toBe("column 'id' is DOUBLE in orders.parquet, whose values are number; the contract declares integer");
  });

  it('reads dates from ISO text columns and text columns from any scalar', () => {
    const found = check(fitting.map((c) => (c.name === 'day' ? col('day', 'string', 'BYTE_ARRAY', true, 'STRING') : c.name === 'note' ? col('note', 'integer', 'INT32', true) : c)));
    expect(found).toEqual([]);
  });

  it('rejects a typed column that can give none of a declared domain, unless a map rewrites its values', () => {
    const c = contract();
    c.columns[3] = { ...c.columns[3], values: ['no', 'yes'] };
    const boolean = fitting.map((x) => (x.name === 'region' ? col('region', 'boolean', 'BOOLEAN', true) : x));
    expect(check(boolean, c).map((f) => [f.severity, f.finding.rule, f.finding.column])).toEqual([['error', 'type', 'region']]);
    expect(check(boolean, { ...c, columns: c.columns.map((x) => (x.name === 'region' ? { ...x, map: { true: 'yes', false: 'no' } } : x)) })).toEqual([]);
    c.columns[3] = { ...c.columns[3], values: ['true', 'false'] };
    expect(check(boolean, c)).toEqual([]);
    c.columns[3] = { ...c.columns[3], values: [1, 2] };
    expect(check(fitting.map((x) => (x.name === 'region' ? col('region', 'integer', 'INT32', true) : x)), c)).toEqual([]);
  });

  it('rejects a nested column for a declared one', () => {
    const found = check(fitting.map((c) => (c.name === 'note' ? col('note', undefined, 'GROUP', true, 'LIST') : c)));
    expect(found.map((f) => [f.severity, f.finding.rule, f.finding.column])).toEqual([['error', 'type', 'note']]);
    expect(found[0].finding.message).toContain('GROUP (LIST)');
  });

  it('warns of an OPTIONAL column for a non-nullable field, and of columns the contract does not know', () => {
    const found = check([...fitting.map((c) => (c.name === 'id' ? col('id', 'integer', 'INT64', true) : c)), col('extra', 'string', 'BYTE_ARRAY')]);
    expect(found.map((f) => [f.severity, f.finding.rule, f.finding.column])).toEqual([['warn', 'null', 'id'], ['warn', 'extra-column', 'extra']]);
  });

  it('names every OPTIONAL column of non-nullable fields in one warning', () => {
    const strict = contract();
    const c = { ...strict, columns: strict.columns.map((column) => (column.name === 'amount' || column.name === 'id' ? { ...column, nullable: false } : column)) };
    const found = check(fitting.map((column) => ({ ...column, nullable: true })), c);
    const nonNullable = ['id', 'amount'];
    expect(found.map((f) => [f.severity, f.finding.rule])).toEqual([['warn', 'null']]);
    for (const name of nonNullable) expect(found[0].finding.message).toContain(`'${name}'`);
  });

  it('takes the contract severity of dataset rules', () => {
    const c = { ...contract(), severity: { 'extra-column': 'error' as const } };
    expect(check([...fitting, col('extra', 'string', 'BYTE_ARRAY')], c).map((f) => f.severity)).toEqual(['error']);
  });

  it('rejects a duplicated column name', () => {
    expect(check([...fitting, col('id', 'integer')]).map((f) => [f.severity, f.finding.rule])).toEqual([['error', 'duplicate-column']]);
  });
});
