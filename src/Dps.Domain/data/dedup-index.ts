import { Result, ok, err } from '../result';

/**
 * Dedup memory of one dataset across batches: plain JSON. `entries` is base64 of little-endian uint32
 * triples, cut into chunks of at most ENTRIES_PER_CHUNK entries so no single huge string is needed.
 */
export interface DedupState {
  version: 1;
  /** 'key': entries are (key hash, row hash); 'row': entries are whole-row hashes. */
  mode: 'key' | 'row';
  keyColumns: string[];
  count: number;
  entries: string[];
}

/**
 * How a row relates to what the index has seen: new, the same content as a row of this batch
 * ('duplicate-row') or of an earlier batch ('row-seen-before'), or (key mode) other content under a key
 * of this batch or of an earlier one.
 */
export type DedupVerdict = 'new' | 'duplicate-row' | 'row-seen-before' | 'key-conflict-in-batch' | 'key-seen-before';

const STRIDE = 3;
/** Entries per base64 chunk of saved state (12 MiB of entries, 16 MiB of text). */
export const ENTRIES_PER_CHUNK = 1 << 20;
const MAX_LOAD = 0.75;
// Low bit of the third word marks entries inserted by this batch, cleared when saved.
const THIS_BATCH = 1;

/** Growth by half: the table stays within 24 bytes per entry and a resize needs 2.5x, not 3x, the old table. */
function nextCapacity(capacity: number): number {
  return Math.ceil(capacity * 1.5);
}

/** Offset of the first slot probed for a hash: multiply-shift maps it onto any capacity (no power of two needed). */
function home(hi: number, lo: number, capacity: number): number {
  return Math.floor((((lo ^ Math.imul(hi, 0x9e3779b1)) >>> 0) * capacity) / 4294967296) * STRIDE;
}

/**
 * Open-addressing hash set of 64-bit hashes on one Uint32Array (12 bytes a slot, load <= 0.75, linear probing),
 * so 10 million rows cost ~200 MB at most instead of gigabytes of strings.
 */
export class DedupIndex {
  private table: Uint32Array;
  private capacity: number;
  private size = 0;

  private constructor(
    readonly mode: 'key' | 'row',
    readonly keyColumns: string[],
    expected: number,
  ) {
    let capacity = 1024;
    while (capacity * MAX_LOAD < expected) capacity = nextCapacity(capacity);
    this.table = new Uint32Array(capacity * STRIDE);
    this.capacity = capacity;
  }

  /** An empty index: keyed when the contract has a primary key, by whole row otherwise. */
  static empty(keyColumns: string[] | undefined): DedupIndex {
    return new DedupIndex(keyColumns && keyColumns.length > 0 ? 'key' : 'row', keyColumns ?? [], 0);
  }

  /** Restores an index from saved state; fails when the state is malformed or was kept for another key. */
  static fromState(state: DedupState, keyColumns: string[] | undefined): Result<DedupIndex, string> {
    const expected = DedupIndex.empty(keyColumns);
    if (state.version !== 1) return err(`dedup state: unsupported version ${String(state.version)}`);
    if (state.mode !== expected.mode || state.keyColumns.join('\u0000') !== expected.keyColumns.join('\u0000')) {
      return err(`dedup state was kept for key [${state.keyColumns.join(', ')}], the contract's key is [${expected.keyColumns.join(', ')}]`);
    }
    const index = new DedupIndex(expected.mode, expected.keyColumns, state.count);
    let bytesRead = 0;
    // One chunk at a time: memory is the table plus one decoded chunk.
    for (const chunk of state.entries) {
      const bytes = Buffer.from(chunk, 'base64');
      bytesRead += bytes.length;
      if (bytes.length % (STRIDE * 4) !== 0) break;
      const entries = new Uint32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length));
      for (let i = 0; i < entries.length; i += STRIDE) index.insert(entries[i], entries[i + 1], entries[i + 2]);
    }
    if (bytesRead !== state.count * STRIDE * 4) return err(`dedup state: ${bytesRead} bytes of entries for count ${state.count}`);
    return ok(index);
  }

  /** Number of distinct entries. */
  get count(): number {
    return this.size;
  }

  /** Row mode: records a whole-row hash; 'duplicate-row' if this batch had it, 'row-seen-before' if an earlier one did. */
  checkRow(hi: number, lo: number): DedupVerdict {
    const slot = this.find(hi, lo);
    if (this.table[slot] !== 0 || this.table[slot + 1] !== 0) return this.table[slot + 2] & THIS_BATCH ? 'duplicate-row' : 'row-seen-before';
    this.insertAt(slot, hi, lo, THIS_BATCH);
    return 'new';
  }

  /** Key mode: records a key with (32 bits of) its row hash, telling exact repeats from conflicting rows. */
  checkKey(keyHi: number, keyLo: number, rowHash: number): DedupVerdict {
    const slot = this.find(keyHi, keyLo);
    const t = this.table;
    if (t[slot] === 0 && t[slot + 1] === 0) {
      this.insertAt(slot, keyHi, keyLo, (rowHash & ~THIS_BATCH) | THIS_BATCH);
      return 'new';
    }
    const thisBatch = (t[slot + 2] & THIS_BATCH) !== 0;
    if (((t[slot + 2] ^ rowHash) & ~THIS_BATCH) === 0) return thisBatch ? 'duplicate-row' : 'row-seen-before';
    return thisBatch ? 'key-conflict-in-batch' : 'key-seen-before';
  }

  /** Serialises the entries densely (not the table), batch marks cleared, in base64 chunks. */
  toState(): DedupState {
    const chunks: string[] = [];
    const buffer = new Uint32Array(Math.min(this.size, ENTRIES_PER_CHUNK) * STRIDE);
    const flush = (words: number) => chunks.push(Buffer.from(buffer.buffer, 0, words * 4).toString('base64'));
    let j = 0;
    const t = this.table;
    for (let i = 0; i < t.length; i += STRIDE) {
      if (t[i] === 0 && t[i + 1] === 0) continue;
      buffer[j++] = t[i];
      buffer[j++] = t[i + 1];
      buffer[j++] = t[i + 2] & ~THIS_BATCH;
      if (j === buffer.length) {
        flush(j);
        j = 0;
      }
    }
    if (j > 0) flush(j);
    return { version: 1, mode: this.mode, keyColumns: [...this.keyColumns], count: this.size, entries: chunks };
  }

  /** Slot offset holding (hi, lo), or the empty slot where it would go. */
  private find(hi: number, lo: number): number {
    const t = this.table;
    const end = t.length;
    let slot = home(hi, lo, this.capacity);
    for (;;) {
      const h = t[slot];
      const l = t[slot + 1];
      if ((h === hi && l === lo) || (h === 0 && l === 0)) return slot;
      slot += STRIDE;
      if (slot === end) slot = 0;
    }
  }

  private insert(hi: number, lo: number, extra: number): void {
    this.insertAt(this.find(hi, lo), hi, lo, extra);
  }

  /** Stores an entry at `slot` (what find returned for it), growing first when the table is full. */
  private insertAt(slot: number, hi: number, lo: number, extra: number): void {
    if (this.size + 1 > this.capacity * MAX_LOAD) {
      this.grow();
      slot = this.find(hi, lo);
    }
    const t = this.table;
    if (t[slot] === 0 && t[slot + 1] === 0) this.size++;
    t[slot] = hi;
    t[slot + 1] = lo;
    t[slot + 2] = extra;
  }

  private grow(): void {
    const old = this.table;
    const capacity = nextCapacity(this.capacity);
    const t = new Uint32Array(capacity * STRIDE);
    const end = t.length;
    // Old entries are distinct, so each goes to the first empty slot from its home (where find would put it).
    for (let i = 0; i < old.length; i += STRIDE) {
      const hi = old[i];
      const lo = old[i + 1];
      if (hi === 0 && lo === 0) continue;
      let slot = home(hi, lo, capacity);
      while (t[slot] !== 0 || t[slot + 1] !== 0) {
        slot += STRIDE;
        if (slot === end) slot = 0;
      }
      t[slot] = hi;
      t[slot + 1] = lo;
      t[slot + 2] = old[i + 2];
    }
    this.table = t;
    this.capacity = capacity;
  }
}
