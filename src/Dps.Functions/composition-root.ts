import { createStorageClients, StorageClients } from './adapters/storage-clients';
import { registerHealth } from './http/health';
import { DpsSettings, readSettings, readStorageConnection } from './settings';

/** What function modules receive: settings and lazily created adapters (no I/O at load time). */
export interface AppDependencies {
  version: string;
  settings: DpsSettings;
  storage(): StorageClients;
}

function packageVersion(): string {
  // The compiled app sits in dist/src/Dps.Functions; the TypeScript sources in src/Dps.Functions.
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version; // eslint-disable-line @typescript-eslint/no-require-imports
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
}

/** The only place adapters are wired to the function modules. */
export function composeApp(): AppDependencies {
  const settings = readSettings();
  let storage: StorageClients | undefined;
  const deps: AppDependencies = {
    version: packageVersion(),
    settings,
    storage: () => (storage ??= createStorageClients(readStorageConnection())),
  };
  registerHealth(deps);
  return deps;
}
