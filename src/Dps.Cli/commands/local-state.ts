import { existsSync } from 'node:fs';
import path from 'node:path';
import { createStorageClients, StorageClients } from '../../Dps.Functions/storage/storage-clients';
import { startAzurite } from '../../Dps.LocalHost/storage/azurite-server';
import { StateDirInUseError } from '../../Dps.LocalHost/storage/state-lock';
import { CliIo, UsageError } from '../command';
import { ParsedArgs } from '../args';

/** The usage line for `--state`, shared by the commands that open local storage. */
export const STATE_OPTION_USAGE = `--state DIR   local storage of \`npm start\` (default: $DPS_STATE_DIR, else .dps in the working directory)`;

/** The state directory a command works on: --state, else DPS_STATE_DIR, else `.dps` (as `npm start`). */
export function stateDirOf(args: ParsedArgs, io: CliIo): string {
  return path.resolve(io.cwd, args.options.get('state') ?? (process.env.DPS_STATE_DIR || '.dps'));
}

/**
 * Opens the local storage in `dir` (embedded Azurite) for the length of `work`, and hands it the
 * app's own storage clients, so the CLI reads and writes exactly as the functions do. With
 * `mustExist` a missing directory is an error rather than a new, empty state.
 */
export async function withLocalStorage<T>(dir: string, options: { mustExist: boolean }, work: (storage: StorageClients) => Promise<T>): Promise<T> {
  if (options.mustExist && !existsSync(dir)) throw new UsageError(`no local state in ${dir}: run npm start (or pass --state DIR)`);
  let azurite;
  try {
    azurite = await startAzurite(dir);
  } catch (error) {
    if (error instanceof StateDirInUseError) throw new UsageError(error.message);
    throw error;
  }
  try {
    return await work(createStorageClients({ connectionString: azurite.connectionString }));
  } finally {
    await azurite.stop();
  }
}
