import type { BlobServiceClient } from '@azure/storage-blob';
import { BatchValidation, startBatchValidation } from '../../Dps.Domain/data/batch-validator';
import type { BatchOutput, RowCounts, ValidationFinding, ValidationReport } from '../../Dps.Domain/data/validation-report';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import type { DedupState } from '../../Dps.Domain/data/dedup-index';
import { BlobLineWriter, BlobRef, getBlob, putBlob } from '../storage/blob-io';
import type { LayerTargets } from '../storage/blob-layout';
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

/** Rows of one batch streamed through validation into silver, quarantine and duplicates logs. */
class LayerWriters {
  private constructor(
    private readonly silver: BlobLineWriter,
    private readonly quarantine: BlobLineWriter,
    private readonly duplicates: BlobLineWriter,
    private readonly columns: string[],
    private readonly provenance: { source: string; contractRevision: number },
  ) {}

  static async open(blobs: BlobServiceClient, targets: LayerTargets, columns: { name: string }[], provenance: { source: string; contractRevision: number }) {
    return new LayerWriters(
      await BlobLineWriter.open(blobs, targets.silver),
      await BlobLineWriter.open(blobs, targets.quarantine),
      await BlobLineWriter.open(blobs, targets.duplicates),
      columns.map((c) => c.name),
      provenance,
    );
  }

  async write(output: BatchOutput): Promise<void> {
    for (const row of output.accepted) {
      const record: Record<string, unknown> = {};
      for (let i = 0; i < this.columns.length; i++) record[this.columns[i]] = row.values[i];
      await this.silver.write(JSON.stringify(record));
    }
    for (const row of output.quarantined) await this.quarantine.write(JSON.stringify({ ...row, ...this.provenance }));
    for (const row of output.duplicates) await this.duplicates.write(JSON.stringify({ ...row, ...this.provenance }));
  }

  async close(): Promise<void> {
    await Promise.all([this.silver.close(), this.quarantine.close(), this.duplicates.close()]);
  }
}

/** Quarantined rows to validate again, each as its own record, after the CSV header if the format has one. */
export interface QuarantinedTexts {
  header?: string;
  records: string[];
}

/** What the validator made of each piece of the input, in order. */
async function* outputsOf(validation: BatchValidation, input: BatchInput | Iterable<Uint8Array> | QuarantinedTexts): AsyncGenerator<BatchOutput> {
  if (isParquetInput(input)) return yield* parquetOutputs(validation, input);
  if (!('records' in input)) {
    for await (const chunk of input) yield validation.push(chunk);
    return;
  }
  if (input.header !== undefined) yield validation.push(Buffer.from(input.header + '\n', 'utf8'));
  for (const text of input.records) yield validation.pushRecord(text);
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
  const writers = await LayerWriters.open(blobs, options.targets, validation.columns, { source: options.source, contractRevision: options.contractRevision });
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
  await putBlob(blobs, options.targets.report, JSON.stringify(report, null, 2), 'application/json');
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
export async function committedOutcome(blobs: BlobServiceClient, targets: LayerTargets): Promise<BatchValidationOutcome> {
  const body = await getBlob(blobs, targets.report);
  if (!body) throw new Error(`the report ${targets.report.container}/${targets.report.name} of a committed batch is missing`);
  const report = JSON.parse(body.toString('utf8')) as ValidationReport;
  return { status: report.status, rows: report.rows, errors: report.errors.slice(0, MAX_FINDINGS), warnings: report.warnings.slice(0, MAX_FINDINGS), layers: targets };
}
