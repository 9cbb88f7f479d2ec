import { TableClient } from '@azure/data-tables';
import { AppendBlobClient, ContainerClient } from '@azure/storage-blob';
import { canonicalJson } from '../../Dps.Domain/audit/canonical-json';
import { ChainRecord } from '../../Dps.Domain/audit/chain-record';
import { AuditChainTable, CHAIN_PARTITION } from './audit-chain-table';
import { AUDIT_SEGMENT_PREFIX, auditSegmentName } from './blob-layout';
import { isNotFound, isWriteConflict } from './storage-errors';

// An append block carries at most 4 MiB; stay well below it.
const MAX_APPEND_BYTES = 3 * 1024 * 1024;
const RECORDS_PER_READ = 200;

/** How far the segments go: the last seq written and the byte length of its segment. */
interface Progress {
  seq: number;
  bytes: number;
  etag?: string;
}

/** One record as its segment line: canonical JSON, newline-terminated. */
export function segmentLine(record: ChainRecord): string {
  const line = canonicalJson(record);
  if (!line.ok) throw new Error(`audit record ${record.seq}: ${line.error}`);
  return line.value + '\n';
}

/**
 * Copies the table chain into append-blob segments (one JSON line per record, a new segment every
 * `recordsPerSegment` records; WORM in Azure). The table is the source of truth; the segments follow
 * it. Appends are conditioned on the expected blob length, so concurrent writers never write a
 * line twice, and a writer that died between appending and saving its progress is caught up from
 * the blob itself.
 */
export class AuditSegments {
  constructor(
    private readonly container: ContainerClient,
    private readonly table: TableClient,
    private readonly chain: AuditChainTable,
    readonly recordsPerSegment = 1000,
  ) {}

  /** Appends every record up to the chain head that is not yet in a segment. */
  async sync(): Promise<void> {
    const { head } = await this.chain.readHead();
    for (;;) {
      const progress = await this.readProgress();
      if (progress.seq >= head.seq) return;
      const from = progress.seq + 1;
      const segment = this.segmentOf(from);
      const sameSegment = progress.seq > 0 && this.segmentOf(progress.seq) === segment;
      const position = sameSegment ? progress.bytes : 0;
      const upTo = Math.min(head.seq, segment * this.recordsPerSegment, progress.seq + RECORDS_PER_READ);
      const data = this.linesWithin(from, await this.chain.readRecords(from, upTo));
      const blob = this.container.getAppendBlobClient(auditSegmentName(segment));
      if (position === 0) await blob.createIfNotExists();
      try {
        await blob.appendBlock(data.bytes, data.bytes.length, { conditions: { appendPosition: position } });
      } catch (error) {
        if (!isWriteConflict(error)) throw error;
        await this.catchUp(blob, progress, position);
        continue;
      }
      await this.saveProgress({ seq: data.lastSeq, bytes: position + data.bytes.length }, progress.etag);
    }
  }

  /**
   * Every record the segments hold, in file order, each with the segment it came from (read only: a
   * verifier must never copy a possibly tampered table into the append-only copy). A line that is not a
   * record is reported as such, so damage to the segments is named too.
   */
  async readAll(): Promise<{ records: Array<{ record: ChainRecord; segment: string }>; damaged?: string }> {
    return this.readFrom(1);
  }

  /**
   * The records the segments hold from seq `fromSeq` on, as `readAll`: segments that end before it are
   * not read (a segment holds `recordsPerSegment` records), and the lines of the first one read that lie
   * before it are skipped by position (the line's own seq is left for the caller to check).
   */
  async readFrom(fromSeq: number): Promise<{ records: Array<{ record: ChainRecord; segment: string }>; damaged?: string }> {
    const records: Array<{ record: ChainRecord; segment: string }> = [];
    const first = this.segmentOf(Math.max(1, fromSeq));
    for await (const item of this.container.listBlobsFlat({ prefix: AUDIT_SEGMENT_PREFIX })) {
      const index = Number(item.name.slice(AUDIT_SEGMENT_PREFIX.length, -'.jsonl'.length));
      if (Number.isInteger(index) && index < first) continue;
      const text = (await this.container.getBlobClient(item.name).downloadToBuffer()).toString('utf8');
      const skip = index === first ? Math.max(1, fromSeq) - ((first - 1) * this.recordsPerSegment + 1) : 0;
      const lines = text.split('\n').filter((line) => line !== '').slice(skip);
      for (const [k, line] of lines.entries()) {
        const i = k + skip;
        try {
          records.push({ record: JSON.parse(line) as ChainRecord, segment: item.name });
        } catch {
          return { records, damaged: `${item.name} line ${i + 1} is not a chain record` };
        }
      }
    }
    return { records };
  }

  // One progress row per container, in the chain's partition.
  private get progressRow(): string {
    return `segments-${this.container.containerName}`;
  }

  private segmentOf(seq: number): number {
    return Math.floor((seq - 1) / this.recordsPerSegment) + 1;
  }

  // The lines of the leading, gapless records from `from` that fit one append block (at least one).
  private linesWithin(from: number, records: ChainRecord[]): { bytes: Buffer; lastSeq: number } {
    const parts: Buffer[] = [];
    let size = 0;
    let lastSeq = from - 1;
    for (const record of records) {
      const line = Buffer.from(segmentLine(record), 'utf8');
      if (record.seq !== lastSeq + 1 || (parts.length > 0 && size + line.length > MAX_APPEND_BYTES)) break;
      parts.push(line);
      size += line.length;
      lastSeq = record.seq;
    }
    if (parts.length === 0) throw new Error(`audit segments: record ${from} is missing from the chain table, so the segments cannot go on (GET /api/audit/verify names the damage)`);
    return { bytes: Buffer.concat(parts), lastSeq };
  }

  // Another writer appended first (or one died before saving progress): read what the blob holds past our position.
  private async catchUp(blob: AppendBlobClient, progress: Progress, position: number): Promise<void> {
    const tail = (await blob.downloadToBuffer(position)).toString('utf8');
    const lines = tail.split('\n').filter((line) => line !== '');
    if (lines.length === 0) throw new Error(`audit segments: ${blob.name} refused an append at byte ${position} but holds nothing after it`);
    const lastSeq = (JSON.parse(lines[lines.length - 1]) as ChainRecord).seq;
    await this.saveProgress({ seq: lastSeq, bytes: position + Buffer.byteLength(tail, 'utf8') }, progress.etag);
  }

  private async readProgress(): Promise<Progress> {
    try {
      const row = await this.table.getEntity<Record<string, unknown>>(CHAIN_PARTITION, this.progressRow);
      return { seq: row.seq as number, bytes: row.bytes as number, etag: row.etag };
    } catch (error) {
      if (isNotFound(error)) return { seq: 0, bytes: 0 };
      throw error;
    }
  }

  // A conflict means another writer saved newer progress; the next round reads it.
  private async saveProgress(next: Omit<Progress, 'etag'>, etag: string | undefined): Promise<void> {
    const entity = { partitionKey: CHAIN_PARTITION, rowKey: this.progressRow, seq: next.seq, bytes: next.bytes };
    try {
      if (etag) await this.table.updateEntity(entity, 'Replace', { etag });
      else await this.table.createEntity(entity);
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
    }
  }
}
