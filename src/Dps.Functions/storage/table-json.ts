/** Characters per string property: Azure Tables caps a property at 64 KiB (32K UTF-16 units). */
const CHUNK = 30_000;

/** Spreads a JSON-serialisable value over `prefix0..prefixN` string properties of a table entity. */
export function packJson(prefix: string, value: unknown): Record<string, string | number> {
  if (value === undefined) return { [`${prefix}n`]: 0 };
  const text = JSON.stringify(value);
  const props: Record<string, string | number> = { [`${prefix}n`]: Math.ceil(text.length / CHUNK) };
  for (let i = 0; i * CHUNK < text.length; i++) props[`${prefix}${i}`] = text.slice(i * CHUNK, (i + 1) * CHUNK);
  return props;
}

/** Reads back a value written by `packJson`; undefined when nothing was stored. */
export function unpackJson<T>(entity: Record<string, unknown>, prefix: string): T | undefined {
  const count = Number(entity[`${prefix}n`] ?? 0);
  if (!count) return undefined;
  let text = '';
  for (let i = 0; i < count; i++) text += String(entity[`${prefix}${i}`] ?? '');
  return JSON.parse(text) as T;
}
