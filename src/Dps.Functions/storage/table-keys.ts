import { createHash } from 'node:crypto';

/**
 * A table key for free text such as an event or Azure resource id: table keys cannot hold `/ \ # ?`
 * or control characters, so the text is hashed (sha256, hex) and kept in a property beside it.
 */
export function hashedKey(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
