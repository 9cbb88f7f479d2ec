import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { detectCompression } from '../../Dps.Domain/data/compression';

/** Chunk size for reading data files: large enough that per-chunk overhead does not show. */
const CHUNK_BYTES = 1 << 16;

/** A data file that cannot be read; the message names the file and says why, for a one-line CLI error. */
export class DataFileError extends Error {}

function describe(file: string, e: unknown): DataFileError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new DataFileError(`cannot read '${file}': no such file`);
  if (code === 'EISDIR') return new DataFileError(`cannot read '${file}': it is a directory`);
  if (code === 'EACCES') return new DataFileError(`cannot read '${file}': permission denied`);
  if (code?.startsWith('Z_')) return new DataFileError(`'${file}' is not valid gzip data (${(e as Error).message})`);
  return new DataFileError(`cannot read '${file}': ${(e as Error).message}`);
}

/**
 * Yields a data file's bytes in chunks, gunzipped when its magic bytes say gzip, so push parsers get
 * plain bytes with flat memory. Stopping the iteration early closes the file. Errors name the file as `shownAs`.
 */
export async function* readFileChunks(file: string, shownAs = file): AsyncGenerator<Uint8Array> {
  let first: Uint8Array;
  try {
    const handle = await open(file, 'r');
    try {
      const { buffer, bytesRead } = await handle.read(new Uint8Array(4), 0, 4, 0);
      first = buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw describe(shownAs, e);
  }
  const compression = detectCompression(first);
  if (compression === 'zip') throw new DataFileError(`'${shownAs}' is a zip archive; unzip it first (gzip files are read directly)`);
  const raw = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  const stream = compression === 'gzip' ? raw.pipe(createGunzip({ chunkSize: CHUNK_BYTES })) : raw;
  if (stream !== raw) raw.on('error', (e) => stream.destroy(e));
  try {
    for await (const chunk of stream) yield chunk as Uint8Array;
  } catch (e) {
    throw describe(shownAs, e);
  } finally {
    raw.destroy();
    stream.destroy();
  }
}
