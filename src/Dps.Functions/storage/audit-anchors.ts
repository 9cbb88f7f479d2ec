import type { ContainerClient } from '@azure/storage-blob';
import type { ChainHead } from '../../Dps.Domain/audit/chain-record';
import { AUDIT_ANCHOR_PREFIX, auditAnchorName } from './blob-layout';

/** The chain head as it was at a moment, kept outside the table (an append blob, WORM in Azure). */
export interface AuditAnchor extends ChainHead {
  at: string;
}

/**
 * Anchors of the audit chain: each time the writer moves the head it appends `{seq, hash, at}` here
 * (and logs it), so a table whose records were cut off, rewritten and re-hashed, or wiped together with
 * its head no longer agrees with what was anchored.
 */
export class AuditAnchors {
  constructor(private readonly container: ContainerClient) {}

  /** Appends one anchor to the day's file. */
  async write(head: ChainHead, at: string): Promise<void> {
    const blob = this.container.getAppendBlobClient(auditAnchorName(at));
    await blob.createIfNotExists();
    const line = Buffer.from(JSON.stringify({ seq: head.seq, hash: head.hash, at }) + '\n', 'utf8');
    await blob.appendBlock(line, line.length);
  }

  /** Every anchor, oldest file first; a line that is not an anchor is reported. */
  async readAll(): Promise<{ anchors: Array<AuditAnchor & { file: string }>; damaged?: string }> {
    const anchors: Array<AuditAnchor & { file: string }> = [];
    for await (const item of this.container.listBlobsFlat({ prefix: AUDIT_ANCHOR_PREFIX })) {
      const lines = (await this.container.getBlobClient(item.name).downloadToBuffer()).toString('utf8').split('\n').filter((l) => l !== '');
      for (const [i, line] of lines.entries()) {
        let anchor: AuditAnchor;
        try {
          anchor = JSON.parse(line) as AuditAnchor;
        } catch {
          return { anchors, damaged: `${item.name} line ${i + 1} is not an anchor` };
        }
        if (!Number.isInteger(anchor.seq) || typeof anchor.hash !== 'string') return { anchors, damaged: `${item.name} line ${i + 1} is not an anchor` };
        anchors.push({ ...anchor, file: item.name });
      }
    }
    return { anchors };
  }
}
