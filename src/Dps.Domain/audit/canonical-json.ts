import { Result, ok, err } from '../result';

/** A value that survives a JSON round trip unchanged. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** Plain JSON for the audit trail: what JSON.stringify keeps, so values without data (NaN, Infinity) become null. */
export function plainJson(value: unknown): JsonValue {
  return JSON.parse(JSON.stringify(value)) as JsonValue;
}

function write(value: unknown, path: string, ancestors: object[]): Result<string, string> {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return ok(JSON.stringify(value));
  if (typeof value === 'number') return Number.isFinite(value) ? ok(JSON.stringify(value)) : err(`${path}: ${value} is not a finite number`);
  if (typeof value !== 'object') return err(`${path}: ${typeof value} values are not JSON`);
  if (ancestors.includes(value)) return err(`${path}: the value contains itself`);
  const inner = [...ancestors, value];
  const parts: string[] = [];
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const item = write(value[i], `${path}[${i}]`, inner);
      if (!item.ok) return item;
      parts.push(item.value);
    }
    return ok(`[${parts.join(',')}]`);
  }
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) return err(`${path}: a ${value.constructor?.name ?? 'class instance'} is not a plain JSON object`);
  const record = value as Record<string, unknown>;
  // Undefined properties are dropped, as JSON.stringify does, so a stored and re-read event hashes the same.
  for (const key of Object.keys(record).filter((k) => record[k] !== undefined).sort()) {
    const item = write(record[key], `${path}.${key}`, inner);
    if (!item.ok) return item;
    parts.push(`${JSON.stringify(key)}:${item.value}`);
  }
  return ok(`{${parts.join(',')}}`);
}

/**
 * Canonical JSON: object keys sorted (by UTF-16 code units) at every depth, no whitespace, numbers in
 * JavaScript's shortest form. Non-finite numbers, functions, symbols, bigints, undefined array items,
 * class instances (Date, Map, …) and cycles are rejected with the path of the offending value.
 */
export function canonicalJson(value: unknown): Result<string, string> {
  return write(value, '$', []);
}
