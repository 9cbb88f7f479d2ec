import { parseInventory } from '../../Dps.Domain/finops/inventory';
import { OffHoursResource } from '../../Dps.Domain/finops/resource-decision';
import { CliIo, UsageError } from '../command';
import { readInputFile } from '../input-file';

/**
 * Reads an inventory file `{"resources": [{id, type, state, tags}]}`: the checked resources, and the
 * entries as written (for fields only some commands know). Errors name the file and the problem.
 */
export async function readInventoryFile(file: string, io: CliIo): Promise<{ resources: OffHoursResource[]; entries: unknown[] }> {
  const text = (await readInputFile(file, io, 'inventory')).toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new UsageError(`inventory '${file}' is not valid JSON: ${(e as Error).message}`);
  }
  const inventory = parseInventory(json);
  if (!inventory.ok) throw new UsageError(`inventory '${file}': ${inventory.error}`);
  return { resources: inventory.value, entries: (json as { resources: unknown[] }).resources };
}
