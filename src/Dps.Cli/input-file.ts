import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseContractText } from '../Dps.Domain/data/contract-schema';
import type { DataContract } from '../Dps.Domain/data/contract-types';
import { CliIo, UsageError } from './command';

/** Reads a file named on the command line; a problem is a UsageError naming the file and why. */
export async function readInputFile(file: string, io: CliIo, what: string): Promise<Buffer> {
  try {
    return await readFile(path.resolve(io.cwd, file));
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'it is a directory' : code === 'EACCES' ? 'permission denied' : (code ?? String(e));
    throw new UsageError(`cannot read ${what} '${file}': ${why}`);
  }
}

/** Reads and checks a data contract file; the error names the file and its first problem. */
export async function readContractFile(file: string, io: CliIo): Promise<DataContract> {
  const parsed = parseContractText((await readInputFile(file, io, 'contract')).toString('utf8'));
  if (!parsed.ok) {
    const more = parsed.error.length > 1 ? ` (and ${parsed.error.length - 1} more)` : '';
    throw new UsageError(`contract '${file}' is not valid: ${parsed.error[0]}${more}`);
  }
  return parsed.value;
}
