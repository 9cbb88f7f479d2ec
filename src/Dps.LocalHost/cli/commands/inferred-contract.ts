import path from 'node:path';
import type { InferredContract } from '../../../Dps.Domain/data/contract-inference';
import { inferContractFromFile } from '../../io/contract-from-file';
import { CliIo, UsageError } from '../command';

/**
 * Infers a contract for a command: a bad --label or --columns is a usage error (throws), data that
 * cannot be described (empty, unreadable or duplicate header) is a rejection: undefined after one stderr line.
 */
export async function inferOrReject(
  command: string,
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  io: CliIo,
): Promise<InferredContract | undefined> {
  const inferred = await inferContractFromFile(path.resolve(io.cwd, file), options, file);
  if (inferred.ok) return inferred.value;
  if (/^(label|columns):/.test(inferred.error)) throw new UsageError(`--${inferred.error}`);
  io.stderr(`dps ${command}: rejected: ${inferred.error} (${file})\n`);
  return undefined;
}
