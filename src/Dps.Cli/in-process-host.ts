import path from 'node:path';
import { LocalHost } from '../Dps.LocalHost/local-host';
import { findAppRoot, loadLocalSettings } from '../Dps.LocalHost/local-settings';
import { createStreamLogger } from '../Dps.LocalHost/worker/host-logger';

/** How a command hosts the app for itself: storage state (temporary when absent), extra settings, where logs go. */
export interface InProcessHostOptions {
  stateDir?: string;
  settings?: Record<string, string>;
  /** Host lines (and, with `verbose`, every invocation and user log) go here; none when absent. */
  log?: (line: string) => void;
  verbose?: boolean;
}

/**
 * Starts the app (its compiled or source entry, beside this file) on the local host on a free port, with
 * the project's local settings; the host's own storage replaces `AzureWebJobsStorage`.
 */
export function startInProcessHost(options: InProcessHostOptions): Promise<LocalHost> {
  const appRoot = findAppRoot();
  const { AzureWebJobsStorage: _storage, ...settings } = loadLocalSettings(appRoot).values;
  void _storage;
  const verbose = options.verbose ?? false;
  return LocalHost.start({
    appEntry: path.join(__dirname, '..', 'Dps.Functions', 'index'),
    hostJsonPath: path.join(appRoot, 'host.json'),
    settings: { ...settings, ...options.settings },
    port: 0,
    stateDir: options.stateDir,
    logger: createStreamLogger((line) => options.log?.(line), { invocations: verbose, userLogs: verbose }),
    debug: verbose,
  });
}
