import { ContainerClient } from '@azure/storage-blob';
import { DEAD_LETTER_PREFIX, deadLetterName } from './blob-layout';
import { hashedKey } from './table-keys';
import { isWriteConflict } from './storage-errors';

/** What the audit writer could not append, kept with the reason. */
export interface DeadLetter {
  reason: string;
  /** The delivered body, as received. */
  body: unknown;
  receivedAt: string;
}

/**
 * Rejected audit events go to `deadletter/{sha256}.json` in the audit container, never silently
 * dropped. The name derives from body and reason, and blobs are create-only (WORM in Azure), so a
 * redelivered rejection is kept once.
 */
export class AuditDeadLetters {
  constructor(private readonly container: ContainerClient) {}

  /** Stores one rejected event; returns the blob name. */
  async write(letter: DeadLetter): Promise<string> {
    const name = deadLetterName(hashedKey(`${JSON.stringify(letter.body) ?? String(letter.body)}\n${letter.reason}`));
    const text = JSON.stringify(letter, null, 2);
    try {
      await this.container.getBlockBlobClient(name).upload(text, Buffer.byteLength(text), {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    } catch (error) {
      if (!isWriteConflict(error)) throw error;
    }
    return name;
  }

  /** Every dead letter, in blob name order (for diagnostics and tests). */
  async list(): Promise<DeadLetter[]> {
    const letters: DeadLetter[] = [];
    for await (const item of this.container.listBlobsFlat({ prefix: DEAD_LETTER_PREFIX })) {
      const bytes = await this.container.getBlobClient(item.name).downloadToBuffer();
      letters.push(JSON.parse(bytes.toString('utf8')) as DeadLetter);
    }
    return letters;
  }
}
