import { createStorageClients, StorageClients } from './adapters/storage-clients';
import { createDataPlane, DataPlane } from './dataplane/data-plane';
import { ModelRegistry } from './intelligence/model-registry';
import { registerAuditVerify } from './audit/audit-verify-http';
import { registerAuditWriter } from './audit/audit-writer';
import { registerLandingTrigger } from './blob/landing-trigger';
import { registerFinopsReport } from './finops/finops-report-http';
import { registerFinopsRun } from './finops/finops-run-http';
import { registerFinopsOffHours } from './finops/offhours-orchestration';
import { registerFinopsTimer } from './finops/offhours-timer';
import { registerDatasetContract } from './http/dataset-contract';
import { registerDatasetInfo } from './http/dataset-info';
import { registerHealth } from './http/health';
import { registerIngest } from './http/ingest';
import { registerModels } from './http/models';
import { registerPipelineStatus } from './http/pipeline-status';
import { registerQuarantineReplay } from './http/quarantine-replay';
import { registerTestSets } from './http/test-sets';
import { registerPipeline } from './orchestrations/pipeline';
import { registerTrainModel } from './orchestrations/train-model';
import { DpsSettings, readSettings, readStorageConnection } from './settings';

/** What function modules receive: settings and lazily created adapters (no I/O at load time). */
export interface AppDependencies {
  version: string;
  settings: DpsSettings;
  storage(): StorageClients;
  dataPlane(): DataPlane;
  registry(): ModelRegistry;
}

function packageVersion(): string {
  // The compiled app sits in dist/src/Dps.Functions; the TypeScript sources in src/Dps.Functions.
  for (const candidate of ['../../../package.json', '../../package.json']) {
    try {
      return (require(candidate) as { version: string }).version;
    } catch {
      // try the next layout
    }
  }
  return '0.0.0';
}

/** The only place adapters are wired to the function modules. */
export function composeApp(): AppDependencies {
  const settings = readSettings();
  // The adapters follow the storage setting: a process that hosts the app again on other storage (the
  // local host started twice in one process, as `dps run` called twice does) keeps the loaded modules.
  let storage: { connection: string; clients: StorageClients } | undefined;
  let dataPlane: DataPlane | undefined;
  let registry: ModelRegistry | undefined;
  const deps: AppDependencies = {
    version: packageVersion(),
    settings,
    storage: () => {
      const connection = readStorageConnection();
      const key = JSON.stringify(connection);
      if (storage?.connection !== key) {
        storage = { connection: key, clients: createStorageClients(connection) };
        dataPlane = undefined;
        registry = undefined;
      }
      return storage.clients;
    },
    dataPlane: () => {
      const clients = deps.storage();
      return (dataPlane ??= createDataPlane(clients, settings));
    },
    registry: () => {
      deps.storage();
      return (registry ??= new ModelRegistry(() => deps.storage().table(settings.tables.models), () => deps.storage().table(settings.tables.aliases)));
    },
  };
  registerHealth(deps);
  registerPipeline(deps);
  registerTrainModel(deps);
  registerIngest(deps);
  registerLandingTrigger(deps);
  registerPipelineStatus();
  registerDatasetContract(deps);
  registerDatasetInfo(deps);
  registerQuarantineReplay(deps);
  registerTestSets(deps);
  registerModels(deps);
  registerAuditWriter(deps);
  registerAuditVerify(deps);
  registerFinopsOffHours(deps);
  registerFinopsTimer(deps);
  registerFinopsRun(deps);
  registerFinopsReport(deps);
  return deps;
}
