import { createHash } from 'node:crypto';

/**
 * A table key for free text such as an event or Azure resource id: table keys cannot hold `/ \ # ?`
 * or control characters, so the text is hashed (sha256, hex) and kept in a property beside it.
 */
export function hashedKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** True for the storage errors (tables and blobs) that mean "someone else changed or created it first" (409, 412). */
export function isWriteConflict(error: unknown): boolean {
  const status = (error as { statusCode?: number }).statusCode;
  return status === 409 || status === 412;
}

/** True for a storage "not found" (404). */
export function isNotFound(error: unknown): boolean {
  return (error as { statusCode?: number }).statusCode === 404;
}
