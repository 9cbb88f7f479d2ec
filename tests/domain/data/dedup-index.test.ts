import { describe, expect, it } from 'vitest';
import { DedupIndex, ENTRIES_PER_CHUNK } from '../../../src/Dps.Domain/data/dedup-index';
import { hashFields } from '../../../src/Dps.Domain/data/hash64';

function hashOf(values: Array<string | null>): [number, number] {
  const out = new Uint32Array(2);
  hashFields(values, values.map((_, i) => i), out);
  return [out[0], out[1]];
}

describe('64-bit field hash', () => {
  it('tells apart field boundaries, nulls, empty strings and trailing NULs', () => {
    const variants: Array<Array<string | null>> = [['ab', ''], ['a', 'b'], ['', 'ab'], ['ab', null], ['ab'], ['a\u0000', 'b'], ['a', 'b\u0000']];
    const hashes = new Set(variants.map((v) => hashOf(v).join(':')));
    expect(hashes.size).toBe(variants.length);
    expect(hashOf(['x', 'y'])).toEqual(hashOf(['x', 'y']));
  });

  it('has no collisions among 200k similar rows', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200_000; i++) seen.add(hashOf([String(i), `user${i % 1000}@x.org`, 'basic']).join(':'));
    expect(seen.size).toBe(200_000);
  });
});

describe('dedup index', () => {
  it('finds repeats across growth and survives a JSON round trip', () => {
    const index = DedupIndex.empty(undefined);
    for (let i = 0; i < 50_000; i++) expect(index.checkRow(...hashOf([String(i)]))).toBe('new');
    expect(index.checkRow(...hashOf(['123']))).toBe('duplicate-row');
    const state = JSON.parse(JSON.stringify(index.toState()));
    expect(state).toMatchObject({ version: 1, mode: 'row', keyColumns: [], count: 50_000 });
    expect(state.entries.join('').length).toBe(((50_000 * 12) / 3) * 4);
    const restored = DedupIndex.fromState(state, undefined);
    if (!restored.ok) throw new Error(restored.error);
    expect(restored.value.checkRow(...hashOf(['49999']))).toBe('row-seen-before');
    expect(restored.value.checkRow(...hashOf(['50000']))).toBe('new');
    expect(restored.value.checkRow(...hashOf(['50000']))).toBe('duplicate-row');
  });

  it('tells exact repeats from key conflicts, in this batch or an earlier one', () => {
    const index = DedupIndex.empty(['id']);
    const [kh, kl] = hashOf(['1']);
    expect(index.checkKey(kh, kl, 0xdeadbeef)).toBe('new');
    expect(index.checkKey(kh, kl, 0xdeadbeef)).toBe('duplicate-row');
    expect(index.checkKey(kh, kl, 0x12345678)).toBe('key-conflict-in-batch');
    const next = DedupIndex.fromState(index.toState(), ['id']);
    if (!next.ok) throw new Error(next.error);
    expect(next.value.checkKey(kh, kl, 0xdeadbeef)).toBe('row-seen-before');
    expect(next.value.checkKey(kh, kl, 0x12345678)).toBe('key-seen-before');
  });

  it('saves large state in chunks and restores it', () => {
    const index = DedupIndex.empty(undefined);
    for (let i = 0; i < ENTRIES_PER_CHUNK + 10; i++) index.checkRow(i + 1, i);
    const state = index.toState();
    expect(state.entries).toHaveLength(2);
    const restored = DedupIndex.fromState(state, undefined);
    expect(restored.ok && restored.value.count).toBe(ENTRIES_PER_CHUNK + 10);
    expect(restored.ok && restored.value.checkRow(ENTRIES_PER_CHUNK + 10, ENTRIES_PER_CHUNK + 9)).toBe('row-seen-before');
  });

  it('refuses malformed state', () => {
    const state = DedupIndex.empty(undefined).toState();
    expect(DedupIndex.fromState({ ...state, count: 3 }, undefined)).toEqual({ ok: false, error: 'dedup state: 0 bytes of entries for count 3' });
    expect(DedupIndex.fromState(state, ['id']).ok).toBe(false);
  });
});
