import type { BlobServiceClient } from '@azure/storage-blob';
import { parquetMetadataAsync, parquetRead } from 'hyparquet';
import type { AsyncBuffer, FileMetaData, SchemaElement } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { isParquet } from '../../Dps.Domain/data/format-detection';
import { ParquetColumn, parquetColumnType } from '../../Dps.Domain/data/parquet-schema';
import type { BlobRef } from './blob-io';

export type { ParquetColumn } from '../../Dps.Domain/data/parquet-schema';

/** Bytes to read a Parquet file from: all in memory, or a random-access source such as a blob (see blobParquetSource). */
export type ParquetSource = Uint8Array | AsyncBuffer | ParquetFile;

/** A Parquet file whose footer was read: its columns, row groups and rows. Pass it back to read rows without reading the footer again. */
export interface ParquetFile {
  readonly file: AsyncBuffer;
  readonly metadata: FileMetaData;
  columns: ParquetColumn[];
  rowGroups: number;
  rows: number;
  /** Uncompressed bytes of each row group's column chunks (the footer's total_byte_size), in file order. */
  rowGroupBytes: number[];
  /** The file's name in error messages. */
  shownAs: string;
}

/** A Parquet file that cannot be read; the message names the file and says why. */
export class ParquetFileError extends Error {}

/** An in-memory byte array as a hyparquet file. */
function bufferFile(bytes: Uint8Array): AsyncBuffer {
  return {
    byteLength: bytes.byteLength,
    slice: (start, end) => bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + (end ?? bytes.byteLength)) as ArrayBuffer,
  };
}

/** A blob read by ranges: only the footer and the row group being read are in memory. */
function blobFile(blobs: BlobServiceClient, ref: BlobRef, size: number): AsyncBuffer {
  const blob = blobs.getContainerClient(ref.container).getBlobClient(ref.name);
  return {
    byteLength: size,
    async slice(start, end) {
      const stop = end ?? size;
      if (stop <= start) return new ArrayBuffer(0);
      const bytes = await blob.downloadToBuffer(start, stop - start);
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    },
  };
}

/**
 * The blob as a Parquet source when its bytes say Parquet (`PAR1` at both ends), else undefined (a
 * text batch: read it as a stream). Costs two small range reads.
 */
export async function blobParquetSource(blobs: BlobServiceClient, ref: BlobRef): Promise<AsyncBuffer | undefined> {
  const blob = blobs.getContainerClient(ref.container).getBlobClient(ref.name);
  const size = (await blob.getProperties()).contentLength ?? 0;
  if (size < 12) return undefined;
  const file = blobFile(blobs, ref, size);
  const [head, tail] = await Promise.all([file.slice(0, 4), file.slice(size - 4, size)]);
  return isParquet(new Uint8Array(head), new Uint8Array(tail)) ? file : undefined;
}

/** The in-memory bytes as a Parquet source when they say Parquet, else undefined. */
export function bufferParquetSource(bytes: Uint8Array): AsyncBuffer | undefined {
  return isParquet(bytes.subarray(0, 4), bytes.subarray(Math.max(0, bytes.length - 4))) ? bufferFile(bytes) : undefined;
}

function annotation(element: SchemaElement): string | undefined {
  return element.logical_type?.type ?? element.converted_type;
}

/** The file's top-level columns; nested ones (groups) keep their name and read as no contract type. */
function topColumns(schema: SchemaElement[]): ParquetColumn[] {
  const columns: ParquetColumn[] = [];
  // schema[0] is the root; a group's children follow it depth-first, so they are skipped by count.
  let i = 1;
  const skip = (at: number): number => {
    let next = at + 1;
    for (let c = 0; c < (schema[at].num_children ?? 0); c++) next = skip(next);
    return next;
  };
  while (i < schema.length) {
    const element = schema[i];
    const group = (element.num_children ?? 0) > 0;
    const physicalType = group ? 'GROUP' : (element.type ?? 'GROUP');
    const logicalType = annotation(element);
    const repeated = element.repetition_type === 'REPEATED';
    columns.push({
      name: element.name,
      physicalType,
      ...(logicalType !== undefined ? { logicalType } : {}),
      type: repeated ? undefined : parquetColumnType(physicalType, logicalType, element.scale ?? 0),
      nullable: element.repetition_type !== 'REQUIRED',
    });
    i = skip(i);
  }
  return columns;
}

function isOpened(source: ParquetSource): source is ParquetFile {
  return 'metadata' in source && 'file' in source;
}

function asyncBuffer(source: Uint8Array | AsyncBuffer): AsyncBuffer {
  return source instanceof Uint8Array ? bufferFile(source) : source;
}

/** Reads the footer: columns (names, types mapped to the contract's, nullability), row groups and rows. Errors name `shownAs`. */
export async function readParquetFile(source: ParquetSource, shownAs = 'the Parquet file'): Promise<ParquetFile> {
  if (isOpened(source)) return source;
  const file = asyncBuffer(source);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (e) {
    throw new ParquetFileError(`${shownAs}: the Parquet footer cannot be read (${(e as Error).message})`);
  }
  const rowGroupBytes = metadata.row_groups.map((g) => Number(g.total_byte_size));
  return { file, metadata, columns: topColumns(metadata.schema), rowGroups: rowGroupBytes.length, rows: Number(metadata.num_rows), rowGroupBytes, shownAs };
}

/** The file's top-level columns, read from its footer alone. */
export async function readParquetSchema(source: ParquetSource, shownAs?: string): Promise<ParquetColumn[]> {
  return (await readParquetFile(source, shownAs)).columns;
}

/** Days since 1970-01-01 as `YYYY-MM-DD`. */
function isoDate(days: number): string {
  const date = new Date(days * 86_400_000);
  return Number.isNaN(date.getTime()) ? String(days) : date.toISOString().slice(0, 10);
}

/** Milliseconds since the epoch as an ISO 8601 UTC timestamp; beyond the Date range its number, which no contract type reads as a timestamp. */
function isoTimestamp(millis: number): string {
  const date = new Date(millis);
  return Number.isNaN(date.getTime()) ? String(millis) : date.toISOString();
}

// Dates and timestamps as the ISO strings a CSV would hold, so Parquet rows validate, hash and dedup
// exactly as the same rows in CSV do.
const PARSERS = {
  dateFromDays: isoDate,
  timestampFromMilliseconds: (millis: bigint) => isoTimestamp(Number(millis)),
  timestampFromMicroseconds: (micros: bigint) => isoTimestamp(Number(micros / 1000n)),
  timestampFromNanoseconds: (nanos: bigint) => isoTimestamp(Number(nanos / 1_000_000n)),
};

/** INT64 as a number when it is a safe integer, else its decimal text (which the validator reports as out of range for an integer). */
function fromBigInt(value: bigint): number | string {
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/** Rows handed out at a time: row objects live only as long as their slice, not as long as their row group. */
const SLICE_ROWS = 8192;

/** A nested value with its INT64 leaves as numbers (or decimal text), so rows stay plain JSON data. */
function jsonSafe(value: object): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'bigint' ? fromBigInt(v) : v)));
}

/** A column's decoded values of one row group, as hyparquet hands them over in chunks; read in row order. */
class ColumnCursor {
  private readonly chunks: Array<{ start: number; end: number; data: ArrayLike<unknown> }> = [];
  private at = -1;

  constructor(
    private readonly wide: boolean,
    private readonly nested: boolean,
  ) {}

  add(start: number, end: number, data: ArrayLike<unknown>): void {
    this.chunks.push({ start, end, data });
  }

  /** The value at absolute row `row`; rows must be asked for in increasing order. */
  value(row: number): unknown {
    if (this.at < 0) {
      this.chunks.sort((a, b) => a.start - b.start);
      this.at = 0;
    }
    while (this.at < this.chunks.length - 1 && row >= this.chunks[this.at].end) this.at++;
    const chunk = this.chunks[this.at];
    const value = chunk && row >= chunk.start && row < chunk.end ? chunk.data[row - chunk.start] : null;
    if (this.wide && typeof value === 'bigint') return fromBigInt(value);
    return this.nested && typeof value === 'object' && value !== null ? jsonSafe(value) : (value ?? null);
  }
}

/**
 * Reads the rows in file order, a row group at a time (only its column chunks are fetched), handed out
 * in slices of up to 8,192 row objects built from the group's decoded columns: the columns stay compact
 * (typed arrays, one string per value) and each row object is short-lived. Values: text as strings,
 * integers and decimals as numbers (INT64 beyond 2^53 as decimal text), booleans, dates as `YYYY-MM-DD`,
 * timestamps as ISO 8601 UTC strings (millisecond precision), null for nulls; nested columns as hyparquet
 * assembles them (arrays, objects; INT64 leaves as numbers or decimal text). `columns` limits what is read.
 */
export async function* readParquetRowGroups(source: ParquetSource, options: { columns?: string[]; shownAs?: string } = {}): AsyncGenerator<Array<Record<string, unknown>>> {
  const parquet = await readParquetFile(source, options.shownAs);
  const shownAs = options.shownAs ?? parquet.shownAs;
  const wanted = parquet.columns.filter((c) => !options.columns || options.columns.includes(c.name));
  const names = wanted.map((c) => c.name);
  let firstRow = 0;
  for (const group of parquet.metadata.row_groups) {
    const end = firstRow + Number(group.num_rows);
    const cursors = wanted.map((c) => new ColumnCursor(c.physicalType === 'INT64' && (c.type === 'integer' || c.type === 'number'), c.physicalType === 'GROUP'));
    const byName = new Map(names.map((name, i) => [name, cursors[i]]));
    try {
      await parquetRead({
        file: parquet.file,
        metadata: parquet.metadata,
        columns: names,
        rowStart: firstRow,
        rowEnd: end,
        compressors,
        parsers: PARSERS,
        onChunk: (chunk) => byName.get(chunk.columnName)?.add(chunk.rowStart, chunk.rowEnd, chunk.columnData),
      });
    } catch (e) {
      throw new ParquetFileError(`${shownAs}: rows ${firstRow + 1}-${end} cannot be read (${(e as Error).message})`);
    }
    for (let from = firstRow; from < end; from += SLICE_ROWS) {
      const to = Math.min(end, from + SLICE_ROWS);
      const rows: Array<Record<string, unknown>> = new Array(to - from);
      for (let row = from; row < to; row++) {
        const record: Record<string, unknown> = {};
        for (let c = 0; c < names.length; c++) record[names[c]] = cursors[c].value(row);
        rows[row - from] = record;
      }
      yield rows;
    }
    firstRow = end;
  }
}
