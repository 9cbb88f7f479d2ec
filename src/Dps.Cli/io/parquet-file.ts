import { open } from 'node:fs/promises';
import { isParquet } from '../../Dps.Domain/data/format-detection';
import { ParquetFile, ParquetFileError, readParquetFile } from '../../Dps.Functions/storage/parquet-reader';
import { DataFileError } from './record-file-reader';

/**
 * A local file as a Parquet file when its bytes say so (`PAR1` at both ends; only its footer is read
 * here), else undefined. Rows are read later by ranges, one row group at a time. Errors name `shownAs`.
 */
export async function openParquetFile(file: string, shownAs = file): Promise<ParquetFile | undefined> {
  let size: number;
  const head = new Uint8Array(4);
  const tail = new Uint8Array(4);
  try {
    const handle = await open(file, 'r');
    try {
      size = (await handle.stat()).size;
      if (size < 12) return undefined;
      await handle.read(head, 0, 4, 0);
      await handle.read(tail, 0, 4, size - 4);
    } finally {
      await handle.close();
    }
  } catch (e) {
    // The text reader says why a file cannot be read (no such file, a directory, permissions).
    if ((e as NodeJS.ErrnoException).code) return undefined;
    throw e;
  }
  if (!isParquet(head, tail)) return undefined;
  const source = {
    byteLength: size,
    async slice(start: number, end?: number): Promise<ArrayBuffer> {
      const stop = end ?? size;
      const bytes = new Uint8Array(Math.max(0, stop - start));
      const handle = await open(file, 'r');
      try {
        await handle.read(bytes, 0, bytes.length, start);
      } finally {
        await handle.close();
      }
      return bytes.buffer;
    },
  };
  try {
    return await readParquetFile(source, shownAs);
  } catch (e) {
    if (e instanceof ParquetFileError) throw new DataFileError(e.message);
    throw e;
  }
}
