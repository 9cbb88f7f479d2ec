import { describe, expect, it } from 'vitest';
import { BatchValidation, startBatchValidation } from '../../../src/Dps.Domain/data/batch-validator';
import { parseContract } from '../../../src/Dps.Domain/data/contract-schema';
import type { DataContract } from '../../../src/Dps.Domain/data/contract-types';
import type { ParquetColumn } from '../../../src/Dps.Domain/data/parquet-schema';
import { BatchOutput, duplicateRows } from '../../../src/Dps.Domain/data/validation-report';
import { inferContractFromParquet } from '../../../src/Dps.Domain/data/parquet-inference';
import { hashPii } from '../../../src/Dps.Domain/data/accepted-row';

function contract(): DataContract {
  const parsed = parseContract({
    contractVersion: 1,
    dataset: 'people',
    missingValues: ['', 'NA'],
    columns: [
      { name: 'id', type: 'integer', nullable: false },
      { name: 'age', type: 'integer', min: 0, max: 120 },
      { name: 'plan', type: 'category', values: ['basic', 'premium'] },
      { name: 'active', type: 'boolean' },
      { name: 'joined', type: 'date' },
      { name: 'email', type: 'string', pii: 'hash' },
    ],
    primaryKey: ['id'],
  });
  if (!parsed.ok) throw new Error(parsed.error.join('\n'));
  return parsed.value;
}

const SCHEMA: ParquetColumn[] = [
  { name: 'id', physicalType: 'INT64', type: 'integer', nullable: false },
  { name: 'age', physicalType: 'INT32', type: 'integer', nullable: true },
  { name: 'plan', physicalType: 'BYTE_ARRAY', logicalType: 'STRING', type: 'string', nullable: true },
  { name: 'active', physicalType: 'BOOLEAN', type: 'boolean', nullable: true },
  { name: 'joined', physicalType: 'INT32', logicalType: 'DATE', type: 'date', nullable: true },
  { name: 'email', physicalType: 'BYTE_ARRAY', logicalType: 'STRING', type: 'string', nullable: true },
];

// Row 3 breaks the age range, row 4 repeats row 1, row 5 repeats key 2 with other values, row 6 has a null id.
const ROWS: Array<Record<string, unknown>> = [
  { id: 1, age: 34, plan: 'premium', active: true, joined: '2024-02-29', email: 'a@x.org' },
  { id: 2, age: null, plan: 'basic', active: false, joined: null, email: 'b@x.org' },
  { id: 3, age: 130, plan: 'basic', active: true, joined: '2024-03-01', email: 'c@x.org' },
  { id: 1, age: 34, plan: 'premium', active: true, joined: '2024-02-29', email: 'a@x.org' },
  { id: 2, age: 40, plan: 'basic', active: false, joined: null, email: 'b@x.org' },
  { id: null, age: 50, plan: 'basic', active: true, joined: '2024-03-02', email: 'd@x.org' },
];

const CSV = `id,age,plan,active,joined,email
1,34,premium,true,2024-02-29,a@x.org
2,,basic,false,,b@x.org
3,130,basic,true,2024-03-01,c@x.org
1,34,premium,true,2024-02-29,a@x.org
2,40,basic,false,,b@x.org
,50,basic,true,2024-03-02,d@x.org
`;

function start(c = contract()): BatchValidation {
  const started = startBatchValidation({ contract: { ...c, format: { type: 'csv', delimiter: ',', header: true, quote: '"', encoding: 'utf-8' } }, piiSalt: 'salt', source: 'people.parquet' });
  if (!started.ok) throw new Error(started.error);
  return started.value;
}

function collect(outputs: BatchOutput[]): BatchOutput {
  return { accepted: outputs.flatMap((o) => o.accepted), quarantined: outputs.flatMap((o) => o.quarantined), duplicates: outputs.flatMap((o) => o.duplicates) };
}

describe('Parquet rows through the batch validator', () => {
  it('validates rows like the same rows in CSV, with row numbers counted across row groups', () => {
    const parquet = start();
    expect(parquet.pushParquetSchema(SCHEMA)).toBe(true);
    // Two row groups: numbering continues from the first.
    const outputs = [parquet.pushRows(ROWS.slice(0, 4), 400), parquet.pushRows(ROWS.slice(4), 200)];
    const pq = parquet.end();
    const all = collect([...outputs, pq]);

    const csv = start();
    const csvOut = collect([csv.push(new TextEncoder().encode(CSV))]);
    const cs = csv.end();

    expect(pq.report.rows).toEqual({ read: 6, accepted: 2, quarantined: 2, duplicates: 2 });
    expect(pq.report.rows).toEqual(cs.report.rows);
    expect(all.accepted).toEqual(collect([csvOut, cs]).accepted);
    expect(all.quarantined.map((q) => [q.row, q.errors.map((e) => `${e.rule}:${e.column}`)])).toEqual([[3, ['range:age']], [6, ['null:id']]]);
    // Its JSON, PII-hashed as quarantine keeps texts by default.
    expect(all.quarantined[0].text).toBe(JSON.stringify({ ...ROWS[2], email: hashPii('salt', 'c@x.org') }));
    expect(all.duplicates.map((d) => [d.rows, d.kind])).toEqual([[[4, 4], 'row'], [[5, 5], 'key']]);
    expect(duplicateRows(all.duplicates)).toBe(pq.report.rows.duplicates);
    // Same normalised rows, same dedup memory: a CSV batch after the Parquet one finds them all seen.
    expect(parquet.dedupState()).toEqual(csv.dedupState());
  });

  it('stops before any row when the schema does not fit, naming file, column and rule', () => {
    const validation = start();
    const schema = SCHEMA.filter((c) => c.name !== 'age').map((c) => (c.name === 'active' ? { ...c, physicalType: 'DOUBLE', type: 'number' as const } : c));
    expect(validation.pushParquetSchema(schema)).toBe(false);
    const out = validation.pushRows(ROWS, 600);
    const { report } = validation.end();
    expect(out.accepted).toEqual([]);
    expect(report.status).toBe('rejected');
    expect(report.rows.read).toBe(0);
    expect(report.errors.map((e) => [e.rule, e.column])).toEqual([['missing-column', 'age'], ['type', 'active']]);
    expect(report.errors[0].message).toContain('people.parquet');
  });

  it('counts row groups against the byte limit', () => {
    const started = startBatchValidation({ contract: contract(), piiSalt: 's', source: 'big.parquet', limits: { maxBytes: 1000, maxRows: 100 } });
    if (!started.ok) throw new Error(started.error);
    started.value.pushParquetSchema(SCHEMA);
    started.value.pushRows(ROWS.slice(0, 3), 900);
    expect(started.value.overLimit).toBe(false);
    started.value.pushRows(ROWS.slice(3), 900);
    expect(started.value.overLimit).toBe(true);
    const { report } = started.value.end();
    expect(report.errors.map((e) => e.rule)).toEqual(['batch-limit']);
    expect(report.rows.read).toBe(3);
  });
});

describe('contract inference from a Parquet file', () => {
  async function* groups(rows: Array<Record<string, unknown>>, size: number) {
    for (let i = 0; i < rows.length; i += size) yield rows.slice(i, i + size);
  }

  it('takes types from the schema and the rest from sampled rows', async () => {
    const rows = Array.from({ length: 60 }, (_, i) => ({ id: i + 1, score: i % 3, code: String(i % 4), day: `2024-01-${String((i % 28) + 1).padStart(2, '0')}`, tags: [i] }));
    const columns: ParquetColumn[] = [
      { name: 'id', physicalType: 'INT64', type: 'integer', nullable: true },
      // Whole values in a DOUBLE column stay numbers; digits in a text column stay text.
      { name: 'score', physicalType: 'DOUBLE', type: 'number', nullable: true },
      { name: 'code', physicalType: 'BYTE_ARRAY', logicalType: 'STRING', type: 'string', nullable: true },
      { name: 'day', physicalType: 'INT32', logicalType: 'DATE', type: 'date', nullable: true },
      { name: 'tags', physicalType: 'GROUP', logicalType: 'LIST', type: undefined, nullable: true },
    ];
    const inferred = await inferContractFromParquet(columns, groups(rows, 25), { dataset: 'scores' });
    if (!inferred.ok) throw new Error(inferred.error);
    const { contract: c, notes } = inferred.value;
    expect(c.columns.map((x) => `${x.name}:${x.type}:${x.nullable}`)).toEqual(['id:integer:false', 'score:number:false', 'code:category:false', 'day:date:false']);
    expect(c.columns.find((x) => x.name === 'code')!.values).toEqual(['0', '1', '2', '3']);
    expect(c.columns[0]).toMatchObject({ min: 1, max: 60 });
    expect(c.primaryKey).toEqual(['id']);
    expect(notes.join('\n')).toContain("'tags' (LIST)");
    // The inferred contract accepts the file it came from.
    const validation = startBatchValidation({ contract: c, piiSalt: 's', source: 'scores.parquet' });
    if (!validation.ok) throw new Error(validation.error);
    expect(validation.value.pushParquetSchema(columns)).toBe(true);
    validation.value.pushRows(rows, 1);
    expect(validation.value.end().report.rows).toEqual({ read: 60, accepted: 60, quarantined: 0, duplicates: 0 });
  });

  it('says why nothing can be inferred from a file without rows', async () => {
    const inferred = await inferContractFromParquet([{ name: 'id', physicalType: 'INT64', type: 'integer', nullable: true }], groups([], 1), { dataset: 'empty' });
    expect(inferred).toEqual({ ok: false, error: 'row-count: the Parquet file has no rows to infer a contract from' });
  });
});

describe('Parquet batches read by slices (parquetOutputs)', () => {
  it('counts each slice its share of the uncompressed bytes and stops past the byte limit', async () => {
    const { duckdbParquet } = await import('./parquet-duckdb');
    const { readParquetFile } = await import('../../../src/Dps.Functions/storage/parquet-reader');
    const { parquetOutputs } = await import('../../../src/Dps.Functions/ingest/batch-input');
    const file = await readParquetFile(await duckdbParquet('SELECT i AS id, i % 100 AS age FROM range(1, 30001) t(i)'));
    const total = file.rowGroupBytes.reduce((a, b) => a + b, 0);
    const run = async (maxBytes: number) => {
      const c: DataContract = { ...contract(), columns: contract().columns.slice(0, 2), primaryKey: ['id'] };
      const started = startBatchValidation({ contract: c, piiSalt: 's', source: 'big.parquet', limits: { maxBytes, maxRows: 1e9 } });
      if (!started.ok) throw new Error(started.error);
      let slices = 0;
      for await (const output of parquetOutputs(started.value, file)) slices += output.accepted.length > 0 ? 1 : 0;
      return { slices, report: started.value.end().report };
    };
    const whole = await run(total);
    expect(whole.report.rows.read).toBe(30000);
    expect(whole.slices).toBeGreaterThan(2);
    const half = await run(Math.floor(total / 2));
    expect(half.report.errors.map((e) => e.rule)).toEqual(['batch-limit']);
    expect(half.report.rows.read).toBeLessThan(30000 / 2 + 1);
  });
});

describe('Parquet rows with nested columns', () => {
  it('quarantines a row whose file has a LIST<BIGINT> column, its text plain JSON with PII hashed', async () => {
    const { duckdbParquet } = await import('./parquet-duckdb');
    const { readParquetFile } = await import('../../../src/Dps.Functions/storage/parquet-reader');
    const { parquetOutputs } = await import('../../../src/Dps.Functions/ingest/batch-input');
    const file = await readParquetFile(await duckdbParquet("SELECT i AS id, CASE WHEN i = 3 THEN 500 ELSE 30 END AS age, 'u' || i || '@x.org' AS email, [i::BIGINT, 9007199254740993] AS tags FROM range(1, 6) t(i)"));
    const c = contract();
    const started = startBatchValidation({ contract: { ...c, columns: [c.columns[0], c.columns[1], c.columns[5]] }, piiSalt: 's', source: 'nested.parquet' });
    if (!started.ok) throw new Error(started.error);
    const quarantined = [];
    for await (const output of parquetOutputs(started.value, file)) quarantined.push(...output.quarantined);
    const { report } = started.value.end();
    expect(report.rows).toEqual({ read: 5, accepted: 4, quarantined: 1, duplicates: 0 });
    expect(report.warnings.map((w) => w.rule)).toContain('extra-column');
    expect(quarantined.map((q) => q.row)).toEqual([3]);
    const text = JSON.parse(quarantined[0].text);
    expect(text).toMatchObject({ id: 3, age: 500, tags: [3, '9007199254740993'] });
    expect(text.email).toMatch(/^[0-9a-f]{64}$/);
  });
});
