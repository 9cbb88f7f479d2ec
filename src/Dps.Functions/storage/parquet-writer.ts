import type { BlobServiceClient } from '@azure/storage-blob';
import { ByteWriter, ParquetWriter } from 'hyparquet-writer';
import type { ColumnSource, SchemaElement, Writer } from 'hyparquet-writer';
import type { ColumnType, DataContract, TypedValue } from '../../Dps.Domain/data/contract-types';
import { outputColumns } from '../../Dps.Domain/data/accepted-row';
import type { BlobRef } from './blob-io';

/** A column as Parquet stores it: its contract type (or `json`: any JSON value, as JSON text) and whether it may hold nulls. */
export interface ParquetColumn {
  name: string;
  type: ColumnType | 'json';
  nullable: boolean;
}

/** A value to write: as the column's type says (dates and timestamps as ISO text; a `json` column any JSON value). */
export type ParquetValue = TypedValue | object;

/** Row-group bounds: scans read a row group at a time, and a writer holds one in memory. */
export interface RowGroupLimits {
  rows: number;
  /** Estimated bytes of the buffered values (strings by length, 8 per other value). */
  bytes: number;
}

/** 64k rows or 64 MiB of values, whichever comes first: big enough for scans, small enough for a Functions instance. */
export const DEFAULT_ROW_GROUP: RowGroupLimits = { rows: 65_536, bytes: 64 * 1024 * 1024 };

const DAY_MS = 86_400_000;

/**
 * The Parquet columns of accepted (silver) rows under a contract: the output columns (PII hashed to
 * strings, dropped ones gone), REQUIRED only where the contract lets no null through (a `null` or
 * `type` rule downgraded to a warning accepts a row with a null there).
 */
export function silverParquetColumns(contract: DataContract): ParquetColumn[] {
  const declared = new Map(contract.columns.map((c) => [c.name, c]));
  return outputColumns(contract).map((out) => {
    const column = declared.get(out.name)!;
    const nullsRejected = column.severity?.null !== 'warn' && column.severity?.type !== 'warn';
    return { name: out.name, type: out.type, nullable: column.nullable || !nullsRejected };
  });
}

/** The Parquet schema element of a column: integers INT64, numbers DOUBLE, dates DATE, timestamps UTC millis, text UTF-8. */
function schemaElement(column: ParquetColumn): SchemaElement {
  const repetition_type = column.nullable ? 'OPTIONAL' : 'REQUIRED';
  switch (column.type) {
    case 'integer':
      return { name: column.name, repetition_type, type: 'INT64' };
    case 'number':
      return { name: column.name, repetition_type, type: 'DOUBLE' };
    case 'boolean':
      return { name: column.name, repetition_type, type: 'BOOLEAN' };
    case 'date':
      return { name: column.name, repetition_type, type: 'INT32', converted_type: 'DATE', logical_type: { type: 'DATE' } };
    case 'timestamp':
      return { name: column.name, repetition_type, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } };
    case 'string':
    case 'category':
      return { name: column.name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'UTF8', logical_type: { type: 'STRING' } };
    case 'json':
      return { name: column.name, repetition_type, type: 'BYTE_ARRAY', converted_type: 'JSON', logical_type: { type: 'JSON' } };
  }
}

/** A typed value as the column's physical type holds it (dates and timestamps arrive as ISO text; JSON is encoded by the library). */
function physicalValue(type: ParquetColumn['type'], value: ParquetValue): unknown {
  if (value === null) return null;
  switch (type) {
    case 'integer':
      return BigInt(value as number);
    case 'date':
      return Date.parse(`${value as string}T00:00:00Z`) / DAY_MS;
    case 'timestamp':
      return BigInt(Date.parse(value as string));
    default:
      return value;
  }
}

/**
 * The bytes hyparquet-writer produces, sent to a block blob as they come: each row group (and the
 * footer) is staged as one block and the buffer reused, so memory is one row group however big the file.
 */
class BlockBlobSink extends ByteWriter {
  private readonly blockIds: string[] = [];

  constructor(private readonly client: ReturnType<ReturnType<BlobServiceClient['getContainerClient']>['getBlockBlobClient']>) {
    super(1024 * 1024);
  }

  /** Called by the writer after each row group. */
  flush(): Promise<void> {
    return this.stage();
  }

  override async finish(): Promise<void> {
    await this.stage();
    await this.client.commitBlockList(this.blockIds, { blobHTTPHeaders: { blobContentType: 'application/vnd.apache.parquet' } });
  }

  private async stage(): Promise<void> {
    if (this.index === 0) return;
    const id = Buffer.from(String(this.blockIds.length).padStart(8, '0')).toString('base64');
    // The block is sent before the writer appends again (every flush is awaited), so the buffer is not copied.
    await this.client.stageBlock(id, Buffer.from(this.buffer, 0, this.index), this.index);
    this.blockIds.push(id);
    this.index = 0;
  }
}

/**
 * Writes rows to one Parquet blob (snappy, statistics on) as they are produced: values are buffered per
 * column up to a row group's limits, then encoded and staged; `close` writes the footer and commits.
 * Nothing is visible in the blob until `close`.
 */
export class ParquetBlobWriter {
  private readonly buffered: unknown[][];
  private rows = 0;
  private total = 0;
  private bytes = 0;

  private constructor(
    private readonly parquet: ParquetWriter,
    private readonly columns: ParquetColumn[],
    private readonly limits: RowGroupLimits,
  ) {
    this.buffered = columns.map(() => []);
  }

  /** Opens a writer for a blob with these columns (its container is created if needed). */
  static async open(blobs: BlobServiceClient, ref: BlobRef, columns: ParquetColumn[], limits: RowGroupLimits = DEFAULT_ROW_GROUP): Promise<ParquetBlobWriter> {
    const container = blobs.getContainerClient(ref.container);
    await container.createIfNotExists();
    return ParquetBlobWriter.over(new BlockBlobSink(container.getBlockBlobClient(ref.name)), columns, limits);
  }

  /** A writer over another hyparquet-writer sink, such as a local file (dps sample --format parquet). */
  static over(sink: Writer, columns: ParquetColumn[], limits: RowGroupLimits = DEFAULT_ROW_GROUP): ParquetBlobWriter {
    const schema: SchemaElement[] = [{ name: 'root', num_children: columns.length }, ...columns.map(schemaElement)];
    return new ParquetBlobWriter(new ParquetWriter({ writer: sink, schema, codec: 'SNAPPY', createdBy: 'dps (hyparquet-writer)' }), columns, limits);
  }

  /** Adds one row: values in column order, typed as the columns say (a null in a REQUIRED column is a caller's bug). */
  async write(values: readonly ParquetValue[]): Promise<void> {
    for (let i = 0; i < this.columns.length; i++) {
      const value = values[i] ?? null;
      this.buffered[i].push(physicalValue(this.columns[i].type, value));
      this.bytes += typeof value === 'string' ? value.length : typeof value === 'object' && value !== null ? 64 : 8;
    }
    this.rows++;
    if (this.rows >= this.limits.rows || this.bytes >= this.limits.bytes) await this.writeRowGroup();
  }

  /** Writes the last row group and the footer, commits the blob, and returns the number of rows. */
  async close(): Promise<number> {
    await this.writeRowGroup();
    await this.parquet.finish();
    return this.total;
  }

  private async writeRowGroup(): Promise<void> {
    if (this.rows === 0) return;
    const columnData: ColumnSource[] = this.columns.map((c, i) => ({ name: c.name, data: this.buffered[i], nullable: c.nullable }));
    await this.parquet.write({ columnData, rowGroupSize: this.rows });
    this.total += this.rows;
    for (const column of this.buffered) column.length = 0;
    this.rows = 0;
    this.bytes = 0;
  }
}
