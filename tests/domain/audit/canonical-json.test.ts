import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../../src/Dps.Domain/audit/canonical-json';

describe('canonicalJson', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    const value = { b: 1, a: { d: [3, { z: 'x y', y: true }], c: null } };
    expect(canonicalJson(value)).toEqual({ ok: true, value: '{"a":{"c":null,"d":[3,{"y":true,"z":"x y"}]},"b":1}' });
  });

  it('gives the same text whatever the insertion order', () => {
    expect(canonicalJson({ x: 1, y: { q: 2, p: 3 } })).toEqual(canonicalJson({ y: { p: 3, q: 2 }, x: 1 }));
  });

  it('sorts by UTF-16 code units and escapes as JSON does', () => {
    expect(canonicalJson({ b: 1, B: 2, é: 3, 'a\n': 'tab\there' })).toEqual({ ok: true, value: '{"B":2,"a\\n":"tab\\there","b":1,"é":3}' });
  });

  it('drops undefined properties, like a JSON round trip', () => {
    expect(canonicalJson({ a: 1, b: undefined })).toEqual({ ok: true, value: '{"a":1}' });
  });

  it.each([
    [{ a: [1, NaN] }, '$.a[1]: NaN is not a finite number'],
    [{ a: Infinity }, '$.a: Infinity is not a finite number'],
    [[undefined], '$[0]: undefined values are not JSON'],
    [{ f: () => 1 }, '$.f: function values are not JSON'],
    [{ n: 10n }, '$.n: bigint values are not JSON'],
    [{ when: new Date(0) }, '$.when: a Date is not a plain JSON object'],
  ])('rejects %o naming the path', (value, message) => {
    expect(canonicalJson(value)).toEqual({ ok: false, error: message });
  });

  it('rejects a value that contains itself', () => {
    const loop: Record<string, unknown> = { a: 1 };
    loop.self = { again: loop };
    expect(canonicalJson(loop)).toEqual({ ok: false, error: '$.self.again: the value contains itself' });
  });

  it('allows the same object twice when it is not a cycle', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toEqual({ ok: true, value: '{"a":{"k":1},"b":{"k":1}}' });
  });
});
