import { createHash } from 'node:crypto';
import { describeFinding, NO_ROWS, QuarantinedRow, RowCounts } from '../../Dps.Domain/data/validation-report';
import { formatCsvRow } from '../../Dps.Domain/data/csv-writer';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { BlobRef, getBlob } from '../storage/blob-io';
import type { StorageClients } from '../storage/storage-clients';
import type { DpsSettings } from '../settings';
import type { DataPlane } from './data-plane';
import { appendSilverVersion, QuarantinedTexts, committedOutcome, saveDedupOrDiscard, validateBatch } from './batch-validation';
import { batchLayers } from '../storage/blob-layout';
import type { SilverVersion } from './silver-catalog';

/** What a replay did. */
export interface ReplayOutcome {
  status: 'accepted' | 'rejected' | 'nothing-to-replay';
  /** sha256 of the replayed batch's bytes. */
  replayId?: string;
  contractRevision: number;
  replayedFrom: BlobRef[];
  rows: RowCounts;
  silverVersion?: number;
  errors: string[];
}

/**
 * The quarantined rows as records to validate one by one (never joined into one text, where a broken
 * row could swallow the next), under a header naming the contract's columns for CSV with one.
 */
function replayInput(contract: DataContract, lines: QuarantinedRow[]): QuarantinedTexts {
  const format = contract.format;
  const header = format.type === 'csv' && format.header !== false ? formatCsvRow(contract.columns.map((c) => c.name), format.delimiter === 'auto' ? ',' : format.delimiter) : undefined;
  return { header, records: lines.map((line) => replayRecord(contract, line)) };
}

/**
 * A quarantined row as replay validates it. Its PII values, when kept hashed, are not checked or hashed
 * again; but a row that broke a rule of a PII column, or whose text was withheld, cannot be checked again:
 * it stays quarantined, saying why (rule `replay`).
 */
function replayRecord(contract: DataContract, line: QuarantinedRow): QuarantinedTexts['records'][number] {
  const resend = 'send the row again from its source';
  if (line.textWithheld) return { text: '', refused: { rule: 'replay', message: `cannot be replayed: its text was not kept (it could not be split into columns, and the contract keeps PII hashed in quarantine); ${resend}` } };
  if (!line.piiHashed) return { text: line.text };
  const pii = new Set(contract.columns.filter((c) => c.pii).map((c) => c.name));
  const broken = line.errors.find((e) => e.column !== undefined && pii.has(e.column));
  if (!broken) return { text: line.text, piiHashed: true };
  return { text: line.text, piiHashed: true, refused: { rule: 'replay', column: broken.column, message: `cannot be replayed: PII column '${broken.column}' broke the ${broken.rule} rule and its value is kept hashed, so it cannot be checked again; ${resend}` } };
}

/** The batch name a silver version's layers were named by (its quarantine file is found from it). */
function batchNameOf(version: SilverVersion): string {
  return version.kind === 'replay' ? `replay-${version.sha256}` : version.sha256;
}

/**
 * Re-validates the open quarantine of a dataset against its current contract. Rows that now pass
 * become the next silver version; rows that still fail form a new quarantine file with today's reasons.
 * The old quarantine files are kept (nothing is deleted) and marked replayed so rows move only once.
 * Safe to re-run after a failure at any write (the dedup state records the replays it holds).
 */
export async function replayQuarantine(storage: StorageClients, plane: DataPlane, settings: DpsSettings, dataset: string): Promise<ReplayOutcome | undefined> {
  const current = await plane.contracts.current(dataset);
  if (!current) return undefined;
  const versions = await plane.silver.list(dataset);
  const replayed = new Set(versions.flatMap((v) => v.replayedFrom ?? []).map((r) => `${r.container}/${r.name}`));
  const open = versions.map((v) => batchLayers(settings.containers, dataset, batchNameOf(v), v.contractRevision).quarantine).filter((q) => !replayed.has(`${q.container}/${q.name}`));
  const rows: QuarantinedRow[] = [];
  const sources: BlobRef[] = [];
  for (const ref of open) {
    const body = await getBlob(storage.blobs, ref);
    if (!body) continue;
    const lines = body.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    if (lines.length === 0) continue;
    sources.push(ref);
    for (const line of lines) rows.push(JSON.parse(line) as QuarantinedRow);
  }
  if (rows.length === 0) return { status: 'nothing-to-replay', contractRevision: current.revision, replayedFrom: [], rows: NO_ROWS, errors: [] };
  const input = replayInput(current.contract, rows);
  // The replay's identity: its texts, each length-prefixed so no two lists of rows share one.
  const hash = createHash('sha256');
  for (const { text } of rows) hash.update(`${Buffer.byteLength(text)}:`).update(text);
  const id = hash.digest('hex');
  const layersAt = (version?: number) => batchLayers(settings.containers, dataset, `replay-${id}`, current.revision, version);
  const readAt = await plane.dedup.read(dataset);
  const batchId = `replay-${id}-r${current.revision}`;
  // A replay that saved its dedup state and failed before its silver append is finished from its report.
  const saved = readAt.batches?.includes(batchId) ?? false;
  const targets = layersAt(saved ? undefined : await plane.silver.nextVersion(dataset));
  const outcome = saved ? await committedOutcome(storage.blobs, targets) : await validateBatch(storage.blobs, input, {
    contract: current.contract, contractRevision: current.revision, dedup: readAt.state, piiSalt: settings.piiSalt, source: `replay of ${sources.length} quarantine file(s)`, targets, limits: settings.limits,
  });
  const errors = outcome.errors.map(describeFinding);
  if (outcome.status !== 'accepted' || !outcome.layers.silver) return { status: 'rejected', replayId: id, contractRevision: current.revision, replayedFrom: sources, rows: outcome.rows, errors };
  if (!saved && outcome.dedup) await saveDedupOrDiscard(storage.blobs, () => plane.dedup.save(dataset, outcome.dedup!, readAt, batchId), targets.silver);
  const entry = { dataset, kind: 'replay' as const, sha256: id, contractRevision: current.revision, rows: outcome.rows, replayedFrom: sources };
  const version = await appendSilverVersion(storage.blobs, plane.silver, entry, outcome.layers.silver, (n) => layersAt(n).silver);
  return { status: 'accepted', replayId: id, contractRevision: current.revision, replayedFrom: sources, rows: outcome.rows, silverVersion: version.version, errors };
}
