/** Default largest record a parser holds in memory; longer rows are quarantined (rule `row-size`), not buffered. */
export const DEFAULT_MAX_ROW_BYTES = 64 * 1024 * 1024;

const PREVIEW_BYTES = 4096;
const fatalDecoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const lenientDecoder = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Collects one record's bytes across chunks. Pieces are kept as views and joined once, so a row
 * split over many chunks costs one copy; beyond `maxBytes` only a preview is kept (memory stays flat).
 */
export class RowBuffer {
  private pieces: Uint8Array[] = [];
  private size = 0;
  private oversized = false;

  constructor(private readonly maxBytes: number) {}

  /** Bytes of the current record buffered so far (counting dropped ones). */
  get length(): number {
    return this.size;
  }

  /** True once the record outgrew maxBytes. */
  get isOversized(): boolean {
    return this.oversized;
  }

  /** Appends a piece; the view must stay valid until take(), so callers pass subarrays of chunks they no longer reuse. */
  add(piece: Uint8Array): void {
    if (piece.length === 0) return;
    this.size += piece.length;
    if (this.oversized) return;
    this.pieces.push(piece);
    if (this.size > this.maxBytes) {
      this.pieces = [concat(this.pieces, Math.min(PREVIEW_BYTES, this.size))];
      this.oversized = true;
    }
  }

  /** Returns the record's bytes (or its preview when oversized) and resets for the next record. */
  take(): Uint8Array {
    const bytes = this.pieces.length === 1 ? this.pieces[0] : concat(this.pieces, this.size);
    this.pieces = [];
    this.size = 0;
    this.oversized = false;
    return bytes;
  }
}

function concat(pieces: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let offset = 0;
  for (const piece of pieces) {
    const n = Math.min(piece.length, total - offset);
    out.set(piece.subarray(0, n), offset);
    offset += n;
    if (offset >= total) break;
  }
  return out;
}

/** Decodes a record's bytes; `valid` is false when they are not UTF-8 (text then carries U+FFFD). */
export function decodeRow(bytes: Uint8Array): { text: string; valid: boolean } {
  try {
    return { text: fatalDecoder.decode(bytes), valid: true };
  } catch {
    return { text: lenientDecoder.decode(bytes), valid: false };
  }
}

/** Decodes part of a record already known to be UTF-8 or already flagged. */
export function decodeBytes(bytes: Uint8Array): string {
  return lenientDecoder.decode(bytes);
}

/** Length of a UTF-8 byte order mark at the start of `bytes` (0 or 3). */
export function bomLength(bytes: Uint8Array): number {
  return bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
}

/** Message for an oversized record. */
export function rowSizeMessage(bytes: number, maxBytes: number): string {
  return `record of ${bytes} bytes exceeds the ${maxBytes}-byte limit (a missing closing quote often causes this)`;
}
