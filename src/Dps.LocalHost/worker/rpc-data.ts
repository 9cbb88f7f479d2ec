import type { RpcTypedData } from './core-types';

/** Encodes a value as RPC typed data, the way the host hands trigger and input data to the worker. */
export function toTypedData(value: unknown): RpcTypedData {
  if (value === undefined || value === null) return { json: 'null' };
  if (typeof value === 'string') return { string: value };
  if (Buffer.isBuffer(value) || value instanceof Uint8Array) return { bytes: value };
  if (typeof value === 'number') return Number.isInteger(value) ? { int: value } : { double: value };
  return { json: JSON.stringify(value) };
}

/** Decodes RPC typed data the worker returned (return values and output bindings) into a plain value. */
export function fromTypedData(data: RpcTypedData | null | undefined): unknown {
  if (!data) return undefined;
  if (data.string !== undefined && data.string !== null) return data.string;
  if (data.json !== undefined && data.json !== null) return JSON.parse(data.json);
  if (data.bytes) return Buffer.from(data.bytes);
  if (data.stream) return Buffer.from(data.stream);
  if (data.int !== undefined && data.int !== null) return data.int;
  if (data.double !== undefined && data.double !== null) return data.double;
  if (data.collectionString?.string) return data.collectionString.string;
  if (data.collectionBytes?.bytes) return data.collectionBytes.bytes.map((b) => Buffer.from(b));
  if (data.http) return data.http;
  return undefined;
}

/** Decodes typed data to bytes, for blob and HTTP bodies. */
export function typedDataToBytes(data: RpcTypedData | null | undefined): Buffer {
  const value = fromTypedData(data);
  if (value === undefined || value === null) return Buffer.alloc(0);
  if (Buffer.isBuffer(value)) return value;
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  return Buffer.from(JSON.stringify(value), 'utf8');
}
