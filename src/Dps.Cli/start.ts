import path from 'node:path';
import { AppClient } from './app-client';
import { parseArgs } from './args';
import { LocalHost } from '../Dps.LocalHost/local-host';
import { summarizeFunctions } from './function-summary';
import { bootstrapSample } from './sample-bootstrap';
import { findAppRoot, loadLocalSettings } from '../Dps.LocalHost/local-settings';
import { createStreamLogger } from '../Dps.LocalHost/worker/host-logger';

const appRoot = findAppRoot();

/** A port from `--port` or DPS_PORT; a bad one is an error naming where it came from. */
function portOf(raw: string, source: string): number {
  const port = Number(raw);
  if (raw.trim() === '' || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`${source} must be a whole number from 0 to 65535, got '${raw}'`);
  return port;
}

/** `npm start`: the app on the local host with embedded Azurite, like `func start`. */
export async function main(argv: string[]): Promise<void> {
  const { file, values } = loadLocalSettings(appRoot);
  const args = parseArgs(argv, ['port']);
  const portOption = args.options.get('port');
  const port = portOption !== undefined ? portOf(portOption, '--port') : process.env.DPS_PORT ? portOf(process.env.DPS_PORT, 'DPS_PORT') : 7071;
  const stateDir = path.resolve(process.env.DPS_STATE_DIR || path.join(appRoot, '.dps'));
  const logger = createStreamLogger((line) => process.stdout.write(line), { userLogs: process.env.DPS_LOG_USER !== 'false' });
  const { AzureWebJobsStorage: _ignored, ...settings } = values;
  void _ignored;
  logger.host(`settings from ${file ? path.basename(file) : '(none)'}; state in ${stateDir}`);
  const host = await LocalHost.start({
    appEntry: path.join(appRoot, 'dist', 'src', 'Dps.Functions', 'index.js'),
    hostJsonPath: path.join(appRoot, 'host.json'),
    port,
    stateDir,
    functionKey: process.env.DPS_LOCAL_FUNCTION_KEY || undefined,
    settings,
    logger,
    // DEBUG (any value) adds the stack to the one line an unhandled rejection is logged as.
    debug: Boolean(process.env.DEBUG),
  });
  process.stdout.write(
    `\nDPS is running on ${host.baseUrl}\n` +
      `  function key : ${host.key}   (send as x-functions-key or ?code=)\n` +
      `  console      : ${host.baseUrl}/api/console?code=${host.key}\n` +
      `  health       : ${host.baseUrl}/api/health\n` +
      `  try          : curl -X POST --data-binary @data.csv "${host.baseUrl}/api/datasets/mydata/ingest?label=COLUMN&code=${host.key}"\n` +
      summarizeFunctions(host.functions).map((line) => `  ${line}\n`).join('') +
      `Press Ctrl+C to stop.\n\n`,
  );
  if (process.env.DPS_BOOTSTRAP_SAMPLE !== 'false') {
    bootstrapSample(new AppClient(host.baseUrl, host.key), stateDir, (line) => logger.host(line)).catch((error: Error) => logger.host(`sample bootstrap failed: ${error.message}`));
  }
  const shutdown = () => {
    process.stdout.write('\nstopping...\n');
    host.stop().then(
      () => process.exit(0),
      (error: Error) => {
        process.stderr.write(`dps start: stopping failed: ${error.message}\n`);
        process.exit(1);
      },
    );
  };
  process.once('SIGINT', shutdown);
  process.once('SIGTERM', shutdown);
}

if (require.main === module) {
  main(process.argv.slice(2)).catch((error: Error) => {
    process.stderr.write(`dps start: ${error.message}\n`);
    if (process.argv.includes('--verbose')) process.stderr.write(`${error.stack}\n`);
    process.exit(1);
  });
}
