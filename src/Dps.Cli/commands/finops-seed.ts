import { LOCAL_INVENTORY_TABLE, LocalFinOpsInventory, LocalResource } from '../../Dps.Functions/finops/finops-local-inventory';
import { isJsonObject } from '../../Dps.Domain/json-object';
import { parseArgs } from '../args';
import { CliCommand, CliIo, UsageError } from '../command';
import { sampleInventory } from './finops-sample-inventory';
import { readInventoryFile } from './inventory-file';
import { STATE_OPTION_USAGE, stateDirOf, withLocalStorage } from './local-state';

const usage = `Usage: dps finops seed [--state DIR] [--file FILE] [--json]

Replaces the local FinOps inventory (table ${LOCAL_INVENTORY_TABLE}, used when DPS_FINOPS_INVENTORY=local)
with a sample whose off times are this hour and the next (UTC), or with FILE: {"resources": [{"id",
"type", "state": "running"|"stopped", "tags": {...}, "simulateFailure"?: "message"}]}. A resource with
simulateFailure cannot be stopped or started, to rehearse failures. Run it while \`npm start\` is
stopped, then start the app and POST /api/finops/run?dryRun=true (see docs/finops.md).

  ${STATE_OPTION_USAGE}
  --file FILE   the inventory to load instead of the sample
  --json        print the seeded resources as one JSON object
Exit codes: 0 seeded, 1 usage, unreadable or invalid inventory, or I/O error.
`;

async function fromFile(file: string, io: CliIo): Promise<LocalResource[]> {
  const { resources, entries } = await readInventoryFile(file, io);
  return resources.map((resource, i) => {
    const failure = isJsonObject(entries[i]) ? entries[i].simulateFailure : undefined;
    if (failure === undefined) return resource;
    if (typeof failure !== 'string' || failure === '') throw new UsageError(`inventory '${file}': resources[${i}].simulateFailure must be a non-empty string`);
    return { ...resource, simulateFailure: failure };
  });
}

/** `dps finops seed`: fills the local FinOps inventory so the off-hours policy has something to act on. */
export const finopsSeedCommand: CliCommand = {
  path: ['finops', 'seed'],
  summary: 'fill the local FinOps inventory (sample or file)',
  usage,
  async run(argv, io) {
    const args = parseArgs(argv, ['state', 'file'], ['json']);
    const file = args.options.get('file');
    const resources = file === undefined ? sampleInventory(new Date()) : await fromFile(file, io);
    const dir = stateDirOf(args, io);
    await withLocalStorage(dir, { mustExist: false }, async (storage) => new LocalFinOpsInventory(await storage.table(LOCAL_INVENTORY_TABLE)).replaceAll(resources));
    if (args.flags.has('json')) io.stdout(JSON.stringify({ stateDir: dir, resources }) + '\n');
    else io.stdout(`seeded ${resources.length} resources into the local FinOps inventory in ${dir}\nnext: npm start, then POST /api/finops/run?dryRun=true (or false) and GET /api/finops/report\n`);
    return 0;
  },
};
