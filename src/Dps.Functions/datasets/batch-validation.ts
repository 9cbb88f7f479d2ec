import type { BlobServiceClient } from '@azure/storage-blob';
import type { Readable } from 'node:stream';
import { BatchValidation, RecordOptions, startBatchValidation } from '../../Dps.Domain/data/batch-validator';
import type { BatchOutput, RowCounts, ValidationFinding, ValidationReport } from '../../Dps.Domain/data/validation-report';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import type { DedupState } from '../../Dps.Domain/data/dedup-index';
import { MAX_NUMBER_ATTEMPTS } from '../../Dps.Domain/numbered-keys';
import { BlobLineWriter, BlobRef, getBlob, putBlob } from '../storage/blob-io';
import { LayerTargets, silverVersionOfPath } from '../storage/blob-layout';
import { ParquetBlobWriter, silverParquetColumns } from '../storage/parquet-writer';
import { isNotFound } from '../storage/storage-errors';
import type { SilverCatalog, SilverVersion } from './silver-catalog';
import { DedupConflictError } from './dedup-store';
import type { DpsSettings } from '../settings';
import { BatchInput, isParquetInput, parquetOutputs } from '../ingest/batch-input';

/** The outcome of validating one batch, small enough to travel through an orchestration. */
export interface BatchValidationOutcome {
  status: 'accepted' | 'rejected';
  rows: RowCounts;
  errors: ValidationFinding[];
  warnings: ValidationFinding[];
  /** Layers written: silver, quarantine and duplicates only for an accepted batch. */
  layers: Partial<LayerTargets> & { report: BlobRef };
  /** The dedup state to save (accepted batches only). */
  dedup?: DedupState;
}

const MAX_FINDINGS = 20;

/** Rows of one batch streamed through validation into silver (Parquet), quarantine and duplicates logs (JSON Lines). */
class LayerWriters {
  private constructor(
    private readonly silver: ParquetBlobWriter,
    private readonly quarantine: BlobLineWriter,
    private readonly duplicates: BlobLineWriter,
    private readonly provenance: { source: string; contractRevision: number },
  ) {}

  /** `columns`: the validator's output columns, whose order its accepted rows' values follow. */
  static async open(blobs: BlobServiceClient, targets: LayerTargets, columns: { name: string }[], contract: DataContract, provenance: { source: string; contractRevision: number }) {
    const parquet = silverParquetColumns(contract);
    if (parquet.map((c) => c.name).join('\u0000') !== columns.map((c) => c.name).join('\u0000')) throw new Error(`silver of '${contract.dataset}': the validator's columns are not the contract's output columns`);
    return new LayerWriters(
      await ParquetBlobWriter.open(blobs, targets.silver, parquet),
      await BlobLineWriter.open(blobs, targets.quarantine),
      await BlobLineWriter.open(blobs, targets.duplicates),
      provenance,
    );
  }

  async write(output: BatchOutput): Promise<void> {
    for (const row of output.accepted) await this.silver.write(row.values);
    for (const row of output.quarantined) await this.quarantine.write(JSON.stringify({ ...row, ...this.provenance }));
    for (const row of output.duplicates) await this.duplicates.write(JSON.stringify({ ...row, ...this.provenance }));
  }

  async close(): Promise<void> {
    await Promise.all([this.silver.close(), this.quarantine.close(), this.duplicates.close()]);
  }
}

/** Quarantined rows to validate again, each as its own record (with how its text was kept), after the CSV header if the format has one. */
export interface QuarantinedTexts {
  header?: string;
  records: Array<{ text: string } & RecordOptions>;
}

/** What the validator made of each piece of the input, in order. */
async function* outputsOf(validation: BatchValidation, input: BatchInput | Iterable<Uint8Array> | QuarantinedTexts): AsyncGenerator<BatchOutput> {
  if (isParquetInput(input)) return yield* parquetOutputs(validation, input);
  if (!('records' in input)) {
    for await (const chunk of input) yield validation.push(chunk);
    return;
  }
  if (input.header !== undefined) yield validation.push(Buffer.from(input.header + '\n', 'utf8'));
  for (const record of input.records) yield validation.pushRecord(record.text, record);
}

/**
 * Streams a batch through the contract: accepted rows (typed, PII masked) to silver, quarantined rows
 * with their original text and reasons to quarantine, runs of repeats to the duplicates log. Blocks are only
 * committed for an accepted batch, so a rejected one leaves no silver behind.
 */
export async function validateBatch(
  blobs: BlobServiceClient,
  input: BatchInput | Iterable<Uint8Array> | QuarantinedTexts,
  options: { contract: DataContract; contractRevision: number; dedup?: DedupState; keepRepeats?: boolean; piiSalt: string; source: string; targets: LayerTargets; limits: DpsSettings['limits'] },
): Promise<BatchValidationOutcome> {
  const limits = { maxBytes: options.limits.batchBytes, maxRows: options.limits.batchRows, names: { maxBytes: 'DPS_BATCH_MAX_BYTES', maxRows: 'DPS_BATCH_MAX_ROWS' } };
  const started = startBatchValidation({ contract: options.contract, piiSalt: options.piiSalt, dedup: options.dedup, keepRepeats: options.keepRepeats, source: options.source, limits, maxRowBytes: options.limits.rowBytes });
  if (!started.ok) throw new Error(started.error);
  const validation = started.value;
  const writers = await LayerWriters.open(blobs, options.targets, validation.columns, options.contract, { source: options.source, contractRevision: options.contractRevision });
  for await (const output of outputsOf(validation, input)) {
    await writers.write(output);
    // Over a limit the batch is rejected: reading (and decompressing) the rest would only cost time.
    if (validation.overLimit) break;
  }
  const result = validation.end();
  await writers.write(result);
  const { report } = result;
  const accepted = report.status === 'accepted';
  if (accepted) await writers.close();
  // The report names the silver it committed: a re-run after the dedup save finds the silver there.
  const stored: StoredReport = accepted ? { ...report, silver: options.targets.silver } : report;
  await putBlob(blobs, options.targets.report, JSON.stringify(stored, null, 2), 'application/json');
  return {
    status: report.status,
    rows: report.rows,
    errors: report.errors.slice(0, MAX_FINDINGS),
    warnings: report.warnings.slice(0, MAX_FINDINGS),
    layers: accepted ? options.targets : { report: options.targets.report },
    dedup: accepted ? validation.dedupState() : undefined,
  };
}

/**
 * The outcome of a batch that was validated and committed before (an activity run again after it
 * succeeded, or a run started again after a later stage failed), read back from its report: validating
 * it again would meet its own rows in the dedup memory and count every one as a duplicate.
 */
export async function committedOutcome(blobs: BlobServiceClient, targets: LayerTargets, silver?: BlobRef): Promise<BatchValidationOutcome> {
  const body = await getBlob(blobs, targets.report);
  if (!body) throw new Error(`the report ${targets.report.container}/${targets.report.name} of a committed batch is missing`);
  const report = JSON.parse(body.toString('utf8')) as StoredReport;
  // The catalog's silver when the version is appended (it may have moved), else where the report says it was committed.
  const layers = { ...targets, silver: silver ?? report.silver ?? targets.silver };
  return { status: report.status, rows: report.rows, errors: report.errors.slice(0, MAX_FINDINGS), warnings: report.warnings.slice(0, MAX_FINDINGS), layers };
}

/** A validation report as stored: with the silver part an accepted batch committed. */
type StoredReport = ValidationReport & { silver?: BlobRef };

/** Deletes a silver part that will not become a version. */
async function discardSilver(blobs: BlobServiceClient, silver: BlobRef): Promise<void> {
  await blobs.getContainerClient(silver.container).deleteBlob(silver.name).catch((error: unknown) => {
    if (!isNotFound(error)) throw error;
  });
}

/**
 * Saves the dedup state of an accepted batch; when another batch saved first, the silver part just
 * committed is deleted before the error goes on (the retry validates again, perhaps under another version).
 */
export async function saveDedupOrDiscard(blobs: BlobServiceClient, save: () => Promise<void>, silver: BlobRef): Promise<void> {
  try {
    await save();
  } catch (error) {
    if (error instanceof DedupConflictError) await discardSilver(blobs, silver);
    throw error;
  }
}

/** Copies a blob by streaming it through (a same-account server-side copy would need a SAS or a token for the source). */
async function copyBlob(blobs: BlobServiceClient, from: BlobRef, to: BlobRef): Promise<void> {
  const download = await blobs.getContainerClient(from.container).getBlobClient(from.name).download();
  const body = download.readableStreamBody;
  if (!body) throw new Error(`${from.container}/${from.name} has no body to copy`);
  await blobs.getContainerClient(to.container).getBlockBlobClient(to.name).uploadStream(body as Readable, 4 * 1024 * 1024, 2, { blobHTTPHeaders: { blobContentType: download.contentType } });
}

/**
 * Appends the silver version of a committed part, under the version its path is partitioned by. When
 * another writer took that number since it was read (concurrent batches of a dataset), the part is
 * copied under the next free number first, and the first copy deleted once the version points at the new one.
 */
export async function appendSilverVersion(
  blobs: BlobServiceClient,
  catalog: SilverCatalog,
  entry: Omit<SilverVersion, 'version' | 'silver' | 'createdAt'>,
  written: BlobRef,
  relocated: (version: number) => BlobRef,
): Promise<SilverVersion> {
  let silver = written;
  let version = silverVersionOfPath(written);
  if (version === undefined) throw new Error(`${written.container}/${written.name} is not under a silver version partition`);
  for (let attempt = 0; attempt < MAX_NUMBER_ATTEMPTS; attempt++) {
    const added = await catalog.append({ ...entry, version, silver });
    if (added) {
      if (silver !== written) await discardSilver(blobs, written);
      return added;
    }
    version = await catalog.nextVersion(entry.dataset);
    silver = relocated(version);
    await copyBlob(blobs, written, silver);
  }
  throw new Error(`could not allocate a silver version for '${entry.dataset}' after ${MAX_NUMBER_ATTEMPTS} attempts`);
}
