import { createCsvParser } from '../../Dps.Domain/data/csv-parser';
import { detectFormat } from '../../Dps.Domain/data/format-detection';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { RawRecord, RecordParser } from '../../Dps.Domain/data/raw-record';
import type { AppDependencies } from '../app-dependencies';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobLineWriter, BlobRef, readBlobChunks } from '../storage/blob-io';
import { batchPredictionBlobs } from '../storage/blob-layout';

/** A landed scoring file to cut into chunks of at most `chunkRows` rows. */
export interface SplitScoringFileInput {
  model: string;
  stem: string;
  source: BlobRef;
  chunkRows: number;
}

/** The champion that scores the file, how many chunk inputs were written (numbered from 1), the rows read, and those rejected while reading (in `rejectedRows`). */
export type SplitScoringFile =
  | { ok: true; version: number; chunks: number; read: number; unreadable: number; rejectedRows: BlobRef }
  | { ok: false; error: string };

/** One row of a chunk input: its data row number in the file (from 1), its line, and its values as read. */
export interface ChunkRow {
  row: number;
  line: number;
  values: Record<string, unknown>;
}

/** One rejected row with its reasons, as quarantine keeps them. */
export interface RejectedRow {
  row: number;
  line: number;
  reasons: Array<{ rule: string; column?: string; message: string }>;
  /** The record as written, for a row the parser could not read. */
  text?: string;
  /** The values as read, for a row the model's signature check refused. */
  values?: Record<string, unknown>;
}

export const SPLIT_SCORING_FILE = activity<SplitScoringFileInput, SplitScoringFile>('batchScoringSplit');

/** The rows of a record, or why it is rejected; a CSV header is taken, not returned. */
class RowReader {
  private header: string[] | undefined;
  error: string | undefined;

  read(record: RawRecord): ChunkRow | RejectedRow | undefined {
    const place = { row: record.row, line: record.line };
    if (record.kind === 'csv' && record.row === 0) {
      const names = record.fields.map((f) => f.trim());
      const twice = names.find((name, k) => names.indexOf(name) !== k);
      if (record.issue) this.error = `line ${record.line}: the CSV header cannot be read: ${record.issue.message}`;
      else if (twice !== undefined) this.error = `line ${record.line}: the CSV header names column "${twice}" twice`;
      else this.header = names;
      return undefined;
    }
    if (record.issue) return { ...place, reasons: [{ rule: record.issue.rule, message: record.issue.message }], text: record.text };
    if (record.kind === 'json') return record.value ? { ...place, values: record.value } : { ...place, reasons: [{ rule: 'json', message: 'the line is not a JSON object' }], text: record.text };
    const names = this.header ?? [];
    if (record.fields.length !== names.length) {
      return { ...place, reasons: [{ rule: 'field-count', message: `${record.fields.length} fields, the header has ${names.length}` }], text: record.text };
    }
    // An empty CSV field is a missing value, as at predict.
    const values: Record<string, unknown> = {};
    for (let k = 0; k < names.length; k++) values[names[k]] = record.fields[k] === '' ? null : record.fields[k];
    return { ...place, values };
  }
}

/**
 * Resolves the model's champion and streams the landed file (CSV with a header, or JSON Lines, told
 * by its first bytes) into chunk inputs of `chunkRows` rows in gold, so each chunk activity receives
 * a blob reference, never rows; records the parser cannot read go to chunk 0's rejected file.
 */
export function splitScoringFile(deps: AppDependencies): ActivityHandler<SplitScoringFileInput, SplitScoringFile> {
  return async (input) => {
    const champion = (await deps.registry().aliasesOf(input.model)).find((a) => a.alias === 'champion');
    if (!champion) return { ok: false, error: `no model '${input.model}' (no version is registered as its champion)` };
    const blobs = deps.storage().blobs;
    const targets = batchPredictionBlobs(deps.settings.containers, input.model, input.stem);
    const rejected = await BlobLineWriter.open(blobs, targets.rejected(0));
    const reader = new RowReader();
    let parser: RecordParser | undefined;
    let chunk: BlobLineWriter | undefined;
    let chunks = 0;
    let inChunk = 0;
    let read = 0;
    let unreadable = 0;
    const take = async (records: RawRecord[]): Promise<void> => {
      for (const record of records) {
        const row = reader.read(record);
        if (!row) continue;
        read++;
        if ('reasons' in row) {
          unreadable++;
          await rejected.write(JSON.stringify(row));
          continue;
        }
        if (!chunk || inChunk === input.chunkRows) {
          await chunk?.close();
          chunk = await BlobLineWriter.open(blobs, targets.chunkInput(++chunks));
          inChunk = 0;
        }
        inChunk++;
        await chunk.write(JSON.stringify(row));
      }
    };
    for await (const bytes of readBlobChunks(blobs, input.source)) {
      parser ??= detectFormat(bytes.subarray(0, 64)) === 'jsonl' ? createJsonLinesParser() : createCsvParser({ delimiter: 'auto', header: true });
      await take(parser.push(bytes));
      if (reader.error) return { ok: false, error: `${input.source.container}/${input.source.name}: ${reader.error}` };
    }
    if (parser) await take(parser.end());
    if (reader.error) return { ok: false, error: `${input.source.container}/${input.source.name}: ${reader.error}` };
    await chunk?.close();
    await rejected.close();
    if (read === 0) return { ok: false, error: `${input.source.container}/${input.source.name} holds no rows to score` };
    return { ok: true, version: champion.version, chunks, read, unreadable, rejectedRows: targets.rejected(0) };
  };
}
