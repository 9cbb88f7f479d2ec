import { createStorageClients, StorageClients } from './storage/storage-clients';
import { createDataPlane, DataPlane } from './datasets/data-plane';
import { ModelRegistry } from './registry/model-registry';
import { registerAuditVerify } from './audit/audit-verify.http';
import { registerAuditWriter } from './audit/audit-writer.eventhub';
import { registerLandingTrigger } from './ingest/landing.blob';
import { registerFinopsReport } from './finops/finops-report.http';
import { registerFinopsRun } from './finops/finops-run.http';
import { registerFinopsOffHours } from './finops/offhours.orchestration';
import { registerFinopsTimer } from './finops/offhours.timer';
import { registerDatasetContract } from './datasets/dataset-contract.http';
import { registerDatasetInfo } from './datasets/dataset-info.http';
import { registerDatasetReset } from './datasets/dataset-reset.http';
import { registerHealth } from './health/health.http';
import { registerConsole } from './console/console.http';
import { registerConsoleOverview } from './console/console-overview.http';
import { registerFlow } from './flow/flow.http';
import { registerPdcaReportTimer } from './flow/pdca-report.timer';
import { registerRuns } from './pipeline/runs.http';
import { registerDatasetList } from './datasets/datasets.http';
import { registerModelList } from './registry/models-list.http';
import { registerAuditEvents } from './audit/audit-events.http';
import { registerIngest } from './ingest/ingest.http';
import { registerModels } from './registry/models.http';
import { registerModelArtifact } from './registry/model-artifact.http';
import { registerPipelineStatus } from './pipeline/pipeline-status.http';
import { registerQuarantineReplay } from './datasets/quarantine-replay.http';
import { registerTestSets } from './datasets/test-sets.http';
import { registerPipeline } from './pipeline/pipeline.orchestration';
import { registerTrainModel } from './training/train-model.orchestration';
import { registerPredict } from './serving/predict.http';
import { registerFeedback } from './serving/feedback.http';
import { registerBatchScoring } from './serving/batch-scoring.orchestration';
import { registerBatchScoringTrigger } from './serving/batch-scoring.blob';
import { ServingRuntime } from './serving/serving-runtime';
import { registerRollout } from './rollout/rollout.orchestration';
import { registerRolloutHttp } from './rollout/rollout.http';
import { registerDriftMonitor } from './drift/drift-monitor.eventhub';
import { registerDriftHttp } from './drift/drift.http';
import { registerDriftWindowClose } from './drift/drift-windows.timer';
import { registerRetrain } from './retraining/retrain.orchestration';
import { registerRetrainHttp } from './retraining/retrain.http';
import { registerRetrainCheck } from './retraining/retrain-check.timer';
import { ComputePool, computeThreads, createComputePool } from './compute/compute-pool';
import { createLineageEmitter, LineageEmitter } from './lineage/lineage-emitter';
import { registerLineage } from './lineage/lineage-tracked';
import type { AppDependencies } from './app-dependencies';
import { openTelemetryMetrics } from './telemetry/app-metrics';
import { readSettings, readStorageConnection } from './settings';

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
  let serving: ServingRuntime | undefined;
  let compute: ComputePool | undefined;
  let lineage: LineageEmitter | undefined;
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
        serving = undefined;
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
    serving: () => {
      deps.storage();
      return (serving ??= new ServingRuntime(deps));
    },
    compute: () => (compute ??= createComputePool(computeThreads(settings.computeThreads))),
    // The emitter asks for the blob client on each event, so it follows the storage setting as the others do.
    lineage: () => (lineage ??= createLineageEmitter(() => deps.storage().blobs, settings)),
    metrics: openTelemetryMetrics(settings.flow.slo.predictP99Ms),
  };
  registerHealth(deps);
  registerLineage(deps);
  registerPipeline(deps);
  registerTrainModel(deps);
  registerIngest(deps);
  registerLandingTrigger(deps);
  registerPipelineStatus();
  registerDatasetContract(deps);
  registerDatasetInfo(deps);
  registerDatasetReset(deps);
  registerQuarantineReplay(deps);
  registerTestSets(deps);
  registerModels(deps);
  registerModelArtifact(deps);
  registerPredict(deps);
  registerFeedback(deps);
  registerBatchScoring(deps);
  registerBatchScoringTrigger(deps);
  registerRollout(deps);
  registerRolloutHttp(deps);
  registerDriftMonitor(deps);
  registerDriftHttp(deps);
  registerDriftWindowClose(deps);
  registerRetrain(deps);
  registerRetrainHttp(deps);
  registerRetrainCheck(deps);
  registerAuditWriter(deps);
  registerAuditVerify(deps);
  registerFinopsOffHours(deps);
  registerFinopsTimer(deps);
  registerFinopsRun(deps);
  registerFinopsReport(deps);
  registerConsole();
  registerConsoleOverview(deps);
  registerFlow(deps);
  registerPdcaReportTimer(deps);
  registerRuns(deps);
  registerDatasetList(deps);
  registerModelList(deps);
  registerAuditEvents(deps);
  return deps;
}
