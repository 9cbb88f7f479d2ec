import path from 'node:path';
import type { Result } from '../../Dps.Domain/result';
import type { InferredContract } from '../../Dps.Domain/data/contract-inference';
import { inferContractFromFile } from '../io/contract-from-file';
import { CliIo, UsageError } from '../command';

/**
 * Infers a contract for a command. A bad --label or --columns is a usage error (throws); data that
 * cannot be described (empty, unreadable or duplicate header) comes back as the error.
 */
export async function inferForCommand(
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  io: CliIo,
): Promise<Result<InferredContract, string>> {
  const inferred = await inferContractFromFile(path.resolve(io.cwd, file), options, file);
  if (!inferred.ok && /^(label|columns):/.test(inferred.error)) throw new UsageError(`--${inferred.error}`);
  return inferred;
}

/** Infers a contract or rejects: on failure one stderr line (`dps <command>: rejected: ...`) and undefined (exit 2). */
export async function inferOrReject(
  command: string,
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  io: CliIo,
): Promise<InferredContract | undefined> {
  const inferred = await inferForCommand(file, options, io);
  if (inferred.ok) return inferred.value;
  io.stderr(`dps ${command}: rejected: ${inferred.error} (${file})\n`);
  return undefined;
}
