/** Container formats recognised from a file's first bytes. */
export type Compression = 'gzip' | 'zip' | 'none';

/** Detects compression from magic bytes (gzip 1f 8b, zip "PK\x03\x04"); the I/O layer does the inflating. */
export function detectCompression(firstBytes: Uint8Array): Compression {
  if (firstBytes.length >= 2 && firstBytes[0] === 0x1f && firstBytes[1] === 0x8b) return 'gzip';
  if (firstBytes.length >= 4 && firstBytes[0] === 0x50 && firstBytes[1] === 0x4b && firstBytes[2] === 0x03 && firstBytes[3] === 0x04) {
    return 'zip';
  }
  return 'none';
}
