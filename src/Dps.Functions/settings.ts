import { DEFAULT_MAX_CLASSES } from '../Dps.Domain/ml/task-decision';
import { DEFAULT_ARTIFACT_CACHE_CAPACITY } from '../Dps.Domain/serving/artifact-cache-policy';
import { DEFAULT_ROLLOUT_PLAN, RolloutPlan, parseRolloutRequest } from '../Dps.Domain/rollout/rollout-plan';
import { DriftThresholdOverrides, resolveDriftThresholds } from '../Dps.Domain/drift/drift-thresholds';
import { WindowSettings, parseWindowSettings } from '../Dps.Domain/drift/drift-windows';
import type { HysteresisSettings } from '../Dps.Domain/drift/hysteresis';
import type { PerformanceRule } from '../Dps.Domain/retraining/retrain-trigger';
import { DEFAULT_RETRAIN_POLICY, RetrainPolicy } from '../Dps.Domain/retraining/retraining-policy';
import type { TrainingWindowSettings } from '../Dps.Domain/retraining/training-window';
import type { TelemetrySettings } from './telemetry/telemetry-start';

/**
 * Every app setting the Functions app reads, in one place: the infrastructure tests check that the
 * Bicep template and local.settings.sample.json provide each `process.env` name used here.
 */
export interface DpsSettings {
  taskHub: string;
  /** Salt for hashing PII columns; a secret of the deployment. */
  piiSalt: string;
  telemetryHub: string;
  auditHub: string;
  containers: Record<ContainerName, string>;
  tables: Record<TableName, string>;
  training: {
    trials: number;
    seed: number;
    /** Most distinct label values trained as multiclass (DPS_TRAINING_MAX_CLASSES). */
    maxClasses: number;
    /** Class weighting: automatic above a 4:1 imbalance, or off (DPS_TRAINING_CLASS_WEIGHTS auto|none). */
    classWeights: 'auto' | 'none';
    /** Binary decision threshold rule: maximum F1 on the validation split, or a fixed probability (DPS_TRAINING_THRESHOLD f1|0..1). */
    threshold: { rule: 'f1' } | { rule: 'fixed'; threshold: number };
  };
  /** Worker threads of the compute pool (DPS_COMPUTE_THREADS; 0: every core). */
  computeThreads: number;
  serving: {
    /** How long an instance reuses a model's routing row before reading it again (alias moves show within this). */
    routingCacheSeconds: number;
    /** Model artifacts an instance keeps loaded (LRU). */
    artifactCacheSize: number;
  };
  rollout: {
    /** Start a canary when a challenger is registered. */
    auto: boolean;
    /** The plan a rollout uses unless its request says otherwise. */
    plan: RolloutPlan;
    /** How often a waiting rollout re-reads its counters. */
    pollSeconds: number;
  };
  drift: {
    /** Windows by rows or time (DPS_DRIFT_WINDOW_BY, _ROWS, _MINUTES, _MIN_ROWS). */
    window: WindowSettings;
    /** Consecutive drifted windows to enter drift, and clean ones to leave it. */
    hysteresis: HysteresisSettings;
    /** Threshold overrides for every model (DPS_DRIFT_THRESHOLDS, JSON), over the contract's. */
    thresholds: DriftThresholdOverrides;
  };
  retraining: {
    policy: RetrainPolicy;
    /** NCRONTAB of the scheduled retrain; empty: none. */
    schedule: string;
    window: TrainingWindowSettings;
    /** New rows that trigger a retrain by volume (0: off). */
    volumeRows: number;
    /** Online metric that triggers a retrain when it decays, e.g. `auc<0.7` (empty: off). */
    performance?: PerformanceRule;
  };
  finops: {
    schedule: string;
    dryRun: boolean;
    defaultSchedule: string;
    hourlyCost: number;
    graceMinutes: number;
    inventory: 'local' | 'azure';
    resourceGroups: string[];
  };
  azure: { subscriptionId?: string; clientId?: string };
  /** What callers may send: larger request bodies get a 413 unread, larger batches are rejected naming the limit. */
  limits: {
    /** Request body of an ingest or test-set upload (DPS_INGEST_MAX_BODY_BYTES); larger files go through landing. */
    ingestBodyBytes: number;
    /** Request body of a contract PUT (DPS_CONTRACT_MAX_BYTES); a table entity holds at most 1 MiB, of UTF-16 text. */
    contractBytes: number;
    /** One batch, decompressed (DPS_BATCH_MAX_BYTES), and its data rows (DPS_BATCH_MAX_ROWS). */
    batchBytes: number;
    batchRows: number;
    /** One row (DPS_BATCH_MAX_ROW_BYTES): a longer one is quarantined unread (`row-size`), so memory follows it, not the input. */
    rowBytes: number;
  };
  /**
   * Take the caller from the platform's authenticated principal (`x-ms-client-principal`), which only
   * Easy Auth can set (DPS_TRUST_PLATFORM_PRINCIPAL; the infra sets it with Easy Auth). Otherwise callers
   * are named by the function key they used, and principal headers are ignored as anyone can send them.
   */
  trustPlatformPrincipal: boolean;
  /** Base of the links the app returns (DPS_PUBLIC_BASE_URL; empty: the platform's WEBSITE_HOSTNAME), never the Host header. */
  publicBaseUrl: string;
  /** Lean flow metrics: list-price estimates for a run's cost, the SLOs, the weekly PDCA report's timer. */
  flow: {
    prices: { currency: string; perGbSecond: number; perMillionExecutions: number; per10kWrites: number; per10kReads: number };
    instanceMemoryMB: number;
    slo: { pipelineLeadTimeP95Ms: number; predictP99Ms: number; availability: number };
    reportSchedule: string;
  };
  /** OpenLineage: every run's events go to container `lineage`, and to an HTTP endpoint when one is set. */
  lineage: {
    /** Where to POST each RunEvent, e.g. Marquez's `http://host:5000/api/v1/lineage` (DPS_OPENLINEAGE_URL; empty: blobs only). */
    url: string;
    /** Sent as `Authorization: Bearer ...` when set (DPS_OPENLINEAGE_API_KEY). */
    apiKey: string;
    /** The jobs' namespace (DPS_OPENLINEAGE_NAMESPACE). */
    namespace: string;
    /** DPS's source repository URL and deployed commit (DPS_SOURCE_REPOSITORY, DPS_SOURCE_COMMIT; empty: unknown). */
    repository: string;
    commit: string;
  };
}

export type ContainerName = 'landing' | 'bronze' | 'silver' | 'quarantine' | 'gold' | 'models' | 'audit' | 'reports' | 'scoring' | 'lineage';
export type TableName = 'datasets' | 'runs' | 'models' | 'aliases' | 'lineage' | 'audit' | 'finops' | 'features' | 'rollouts' | 'feedback' | 'drift';

function env(name: string, fallback: string): string {
  const value = process.env[name];
  return value === undefined || value === '' ? fallback : value;
}

/** A numeric setting; a value that is not a number in range is an error naming the setting. */
function numberSetting(name: string, fallback: number, rule: { min: number; whole?: boolean }): number {
  const raw = env(name, String(fallback));
  const value = Number(raw);
  if (!Number.isFinite(value) || value < rule.min || (rule.whole && !Number.isInteger(value))) {
    throw new Error(`app setting ${name} must be ${rule.whole ? 'a whole number' : 'a number'} >= ${rule.min}, got '${raw}'`);
  }
  return value;
}

/**
 * The default rollout plan: DPS_ROLLOUT_STEPS (e.g. `5,25,50,100`), DPS_ROLLOUT_BAKE_SECONDS,
 * DPS_ROLLOUT_MIN_SAMPLES, DPS_ROLLOUT_APPROVAL and DPS_ROLLOUT_THRESHOLDS (JSON of gate thresholds),
 * read as a POST /rollout body is, so a bad value is refused naming its setting.
 */
function rolloutPlanSetting(): RolloutPlan {
  const steps = env('DPS_ROLLOUT_STEPS', DEFAULT_ROLLOUT_PLAN.steps.join(','));
  const thresholds = env('DPS_ROLLOUT_THRESHOLDS', '{}');
  let parsedThresholds: unknown;
  try {
    parsedThresholds = JSON.parse(thresholds);
  } catch {
    throw new Error(`app setting DPS_ROLLOUT_THRESHOLDS must be a JSON object of gate thresholds, got '${thresholds}'`);
  }
  const body = {
    steps: steps.split(',').map((s) => Number(s.trim())),
    bakeSeconds: numberSetting('DPS_ROLLOUT_BAKE_SECONDS', DEFAULT_ROLLOUT_PLAN.bakeSeconds, { min: 0, whole: true }),
    minSamples: numberSetting('DPS_ROLLOUT_MIN_SAMPLES', DEFAULT_ROLLOUT_PLAN.minSamples, { min: 1, whole: true }),
    approval: env('DPS_ROLLOUT_APPROVAL', DEFAULT_ROLLOUT_PLAN.approval),
    thresholds: parsedThresholds,
  };
  const plan = parseRolloutRequest(body, DEFAULT_ROLLOUT_PLAN);
  if (!plan.ok) {
    const names: Record<string, string> = { steps: 'DPS_ROLLOUT_STEPS', approval: 'DPS_ROLLOUT_APPROVAL' };
    const name = names[plan.error.field.replace(/\[\d+\]$/, '')] ?? plan.error.field.replace(/^thresholds/, 'DPS_ROLLOUT_THRESHOLDS');
    throw new Error(`app setting ${name} ${plan.error.message}`);
  }
  return plan.value.plan;
}

/** A setting that takes one of a few words; anything else is an error naming the setting and the words. */
function choiceSetting<T extends string>(name: string, choices: readonly T[], fallback: T): T {
  const raw = env(name, fallback);
  if (!(choices as readonly string[]).includes(raw)) throw new Error(`app setting ${name} must be one of ${choices.join(', ')}, got '${raw}'`);
  return raw as T;
}

/** DPS_TRAINING_THRESHOLD: `f1` (maximum F1 on the validation split) or a fixed probability in [0, 1]. */
function thresholdSetting(): DpsSettings['training']['threshold'] {
  const raw = env('DPS_TRAINING_THRESHOLD', 'f1');
  if (raw === 'f1') return { rule: 'f1' };
  const value = Number(raw);
  if (raw.trim() === '' || !(value >= 0 && value <= 1)) throw new Error(`app setting DPS_TRAINING_THRESHOLD must be 'f1' or a probability between 0 and 1, got '${raw}'`);
  return { rule: 'fixed', threshold: value };
}

/** The availability objective: a share in (0, 1), e.g. 0.995. */
function availabilitySetting(): number {
  const value = numberSetting('DPS_SLO_AVAILABILITY', 0.995, { min: 0 });
  if (value <= 0 || value >= 1) throw new Error(`app setting DPS_SLO_AVAILABILITY must be a share between 0 and 1 (exclusive), e.g. 0.995, got '${value}'`);
  return value;
}

/** A JSON-object setting; anything else is an error naming the setting. */
function jsonObjectSetting(name: string): Record<string, unknown> {
  const raw = env(name, '{}');
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`app setting ${name} must be a JSON object, got '${raw}'`);
  return value as Record<string, unknown>;
}

/** The drift monitor's settings: windows, hysteresis and threshold overrides, checked by the Domain's rules. */
function driftSettings(): DpsSettings['drift'] {
  const window = parseWindowSettings({
    by: env('DPS_DRIFT_WINDOW_BY', 'rows'),
    rows: numberSetting('DPS_DRIFT_WINDOW_ROWS', 10_000, { min: 1, whole: true }),
    minutes: numberSetting('DPS_DRIFT_WINDOW_MINUTES', 60, { min: 1, whole: true }),
    minRows: numberSetting('DPS_DRIFT_WINDOW_MIN_ROWS', 100, { min: 1, whole: true }),
  });
  if (!window.ok) throw new Error(`app settings DPS_DRIFT_WINDOW_*: ${window.error}`);
  const hysteresis = {
    enter: numberSetting('DPS_DRIFT_HYSTERESIS_ENTER', 2, { min: 1, whole: true }),
    exit: numberSetting('DPS_DRIFT_HYSTERESIS_EXIT', 2, { min: 1, whole: true }),
  };
  const thresholds = jsonObjectSetting('DPS_DRIFT_THRESHOLDS') as DriftThresholdOverrides;
  const checked = resolveDriftThresholds([{ name: 'DPS_DRIFT_THRESHOLDS', overrides: thresholds }]);
  if (!checked.ok) throw new Error(`app setting ${checked.error[0]}`);
  return { window: window.value, hysteresis, thresholds };
}

/**
 * Retraining: DPS_RETRAIN_COOLDOWN_MINUTES, _MIN_NEW_ROWS, _WHILE_ROLLOUT (wait|skip), _RECHECK_MINUTES,
 * _SCHEDULE (NCRONTAB or empty), _WINDOW_VERSIONS (latest N silver versions), _VOLUME_ROWS (0: off) and
 * _PERFORMANCE (`metric<threshold` or `metric>threshold`, empty: off) with _MIN_LABELS.
 */
function retrainingSettings(): DpsSettings['retraining'] {
  const whileRollout = env('DPS_RETRAIN_WHILE_ROLLOUT', DEFAULT_RETRAIN_POLICY.whileRollout);
  if (whileRollout !== 'wait' && whileRollout !== 'skip') throw new Error(`app setting DPS_RETRAIN_WHILE_ROLLOUT must be 'wait' or 'skip', got '${whileRollout}'`);
  const performance = env('DPS_RETRAIN_PERFORMANCE', '').trim();
  const rule = /^([a-z0-9_]+)\s*([<>])\s*(-?[0-9.]+)$/i.exec(performance);
  if (performance && !rule) throw new Error(`app setting DPS_RETRAIN_PERFORMANCE must read like 'auc<0.7' or 'rmse>12', got '${performance}'`);
  return {
    policy: {
      cooldownMinutes: numberSetting('DPS_RETRAIN_COOLDOWN_MINUTES', DEFAULT_RETRAIN_POLICY.cooldownMinutes, { min: 0 }),
      minNewRows: numberSetting('DPS_RETRAIN_MIN_NEW_ROWS', DEFAULT_RETRAIN_POLICY.minNewRows, { min: 0, whole: true }),
      whileRollout,
      recheckMinutes: numberSetting('DPS_RETRAIN_RECHECK_MINUTES', DEFAULT_RETRAIN_POLICY.recheckMinutes, { min: 0.01 }),
    },
    schedule: env('DPS_RETRAIN_SCHEDULE', ''),
    window: { by: 'versions', latest: numberSetting('DPS_RETRAIN_WINDOW_VERSIONS', 3, { min: 1, whole: true }) },
    volumeRows: numberSetting('DPS_RETRAIN_VOLUME_ROWS', 0, { min: 0, whole: true }),
    performance: rule
      ? { metric: rule[1], threshold: Number(rule[3]), higherIsBetter: rule[2] === '<', minLabels: numberSetting('DPS_RETRAIN_MIN_LABELS', 200, { min: 1, whole: true }) }
      : undefined,
  };
}

/**
 * The PII salt. An unresolved Key Vault reference (the platform could not read the secret) is refused: hashing
 * with the reference text would publish a salt anyone can read in the app's configuration.
 */
function piiSaltSetting(): string {
  const salt = env('DPS_PII_SALT', 'dps-local-development-salt');
  if (salt.startsWith('@Microsoft.KeyVault(')) throw new Error('app setting DPS_PII_SALT is an unresolved Key Vault reference; grant the app identity Key Vault Secrets User on the vault and restart');
  return salt;
}

/** Reads the settings from the environment, with the documented defaults; a malformed number is an error naming its setting. */
export function readSettings(): DpsSettings {
  return {
    taskHub: env('DPS_TASK_HUB', 'dps'),
    piiSalt: piiSaltSetting(),
    telemetryHub: env('DPS_TELEMETRY_HUB', 'telemetry'),
    auditHub: env('DPS_AUDIT_HUB', 'audit'),
    containers: {
      landing: env('DPS_CONTAINER_LANDING', 'landing'),
      bronze: env('DPS_CONTAINER_BRONZE', 'bronze'),
      silver: env('DPS_CONTAINER_SILVER', 'silver'),
      quarantine: env('DPS_CONTAINER_QUARANTINE', 'quarantine'),
      gold: env('DPS_CONTAINER_GOLD', 'gold'),
      models: env('DPS_CONTAINER_MODELS', 'models'),
      audit: env('DPS_CONTAINER_AUDIT', 'audit'),
      reports: env('DPS_CONTAINER_REPORTS', 'reports'),
      scoring: env('DPS_CONTAINER_SCORING', 'scoring'),
      lineage: env('DPS_CONTAINER_LINEAGE', 'lineage'),
    },
    limits: {
      ingestBodyBytes: numberSetting('DPS_INGEST_MAX_BODY_BYTES', 100 * 1024 * 1024, { min: 1, whole: true }),
      contractBytes: numberSetting('DPS_CONTRACT_MAX_BYTES', 256 * 1024, { min: 1, whole: true }),
      batchBytes: numberSetting('DPS_BATCH_MAX_BYTES', 2 * 1024 * 1024 * 1024, { min: 1, whole: true }),
      batchRows: numberSetting('DPS_BATCH_MAX_ROWS', 10_000_000, { min: 1, whole: true }),
      rowBytes: numberSetting('DPS_BATCH_MAX_ROW_BYTES', 8 * 1024 * 1024, { min: 1024, whole: true }),
    },
    trustPlatformPrincipal: env('DPS_TRUST_PLATFORM_PRINCIPAL', 'false').toLowerCase() === 'true',
    publicBaseUrl: env('DPS_PUBLIC_BASE_URL', ''),
    tables: {
      datasets: env('DPS_TABLE_DATASETS', 'datasets'),
      runs: env('DPS_TABLE_RUNS', 'runs'),
      models: env('DPS_TABLE_MODELS', 'models'),
      aliases: env('DPS_TABLE_ALIASES', 'aliases'),
      lineage: env('DPS_TABLE_LINEAGE', 'lineage'),
      audit: env('DPS_TABLE_AUDIT', 'audit'),
      finops: env('DPS_TABLE_FINOPS', 'finops'),
      features: env('DPS_TABLE_FEATURES', 'features'),
      rollouts: env('DPS_TABLE_ROLLOUTS', 'rollouts'),
      feedback: env('DPS_TABLE_FEEDBACK', 'feedback'),
      drift: env('DPS_TABLE_DRIFT', 'drift'),
    },
    training: {
      trials: numberSetting('DPS_TRAINING_TRIALS', 6, { min: 1, whole: true }),
      seed: numberSetting('DPS_TRAINING_SEED', 42, { min: 0, whole: true }),
      maxClasses: numberSetting('DPS_TRAINING_MAX_CLASSES', DEFAULT_MAX_CLASSES, { min: 3, whole: true }),
      classWeights: choiceSetting('DPS_TRAINING_CLASS_WEIGHTS', ['auto', 'none'], 'auto'),
      threshold: thresholdSetting(),
    },
    computeThreads: numberSetting('DPS_COMPUTE_THREADS', 0, { min: 0, whole: true }),
    serving: {
      routingCacheSeconds: numberSetting('DPS_ROUTING_CACHE_SECONDS', 2, { min: 0 }),
      artifactCacheSize: numberSetting('DPS_ARTIFACT_CACHE_SIZE', DEFAULT_ARTIFACT_CACHE_CAPACITY, { min: 1, whole: true }),
    },
    rollout: {
      auto: env('DPS_ROLLOUT_AUTO', 'true').toLowerCase() !== 'false',
      plan: rolloutPlanSetting(),
      pollSeconds: numberSetting('DPS_ROLLOUT_POLL_SECONDS', 15, { min: 1 }),
    },
    drift: driftSettings(),
    retraining: retrainingSettings(),
    finops: {
      schedule: env('DPS_FINOPS_SCHEDULE', '0 0 * * * *'),
      dryRun: env('DPS_FINOPS_DRY_RUN', 'true').toLowerCase() !== 'false',
      defaultSchedule: env('DPS_FINOPS_DEFAULT_SCHEDULE', 'off=(M-F,19);on=(M-F,7);tz=UTC'),
      hourlyCost: numberSetting('DPS_FINOPS_HOURLY_COST', 0, { min: 0 }),
      graceMinutes: numberSetting('DPS_FINOPS_GRACE_MINUTES', 15, { min: 0 }),
      inventory: env('DPS_FINOPS_INVENTORY', 'local') === 'azure' ? 'azure' : 'local',
      resourceGroups: env('DPS_FINOPS_RESOURCE_GROUPS', '').split(',').map((s) => s.trim()).filter(Boolean),
    },
    azure: { subscriptionId: process.env.AZURE_SUBSCRIPTION_ID || undefined, clientId: process.env.AZURE_CLIENT_ID || undefined },
    flow: {
      prices: {
        currency: env('DPS_FLOW_CURRENCY', 'USD'),
        perGbSecond: numberSetting('DPS_FLOW_PRICE_GB_SECOND', 0.000026, { min: 0 }),
        perMillionExecutions: numberSetting('DPS_FLOW_PRICE_MILLION_EXECUTIONS', 0.4, { min: 0 }),
        per10kWrites: numberSetting('DPS_FLOW_PRICE_10K_WRITES', 0.065, { min: 0 }),
        per10kReads: numberSetting('DPS_FLOW_PRICE_10K_READS', 0.005, { min: 0 }),
      },
      instanceMemoryMB: numberSetting('DPS_INSTANCE_MEMORY_MB', 2048, { min: 512, whole: true }),
      slo: {
        pipelineLeadTimeP95Ms: numberSetting('DPS_SLO_PIPELINE_LEAD_TIME_P95_MINUTES', 15, { min: 0 }) * 60_000,
        predictP99Ms: numberSetting('DPS_SLO_PREDICT_P99_MS', 500, { min: 0 }),
        availability: availabilitySetting(),
      },
      reportSchedule: env('DPS_FLOW_REPORT_SCHEDULE', '0 0 6 * * 1'),
    },
    lineage: {
      url: env('DPS_OPENLINEAGE_URL', ''),
      apiKey: env('DPS_OPENLINEAGE_API_KEY', ''),
      namespace: env('DPS_OPENLINEAGE_NAMESPACE', 'dps'),
      repository: env('DPS_SOURCE_REPOSITORY', ''),
      commit: env('DPS_SOURCE_COMMIT', ''),
    },
  };
}

/** The data lake's storage connection: `DpsDataStorage`, or the host's `AzureWebJobsStorage` when that is unset (locally). */
export interface StorageConnectionSettings {
  connectionString?: string;
  blobServiceUri?: string;
  tableServiceUri?: string;
  clientId?: string;
}

/** One connection's settings; none when neither a connection string nor service URIs are set. */
function connectionSettings(raw: string | undefined, blobServiceUri: string | undefined, tableServiceUri: string | undefined, clientId: string | undefined): StorageConnectionSettings | undefined {
  const connectionString = raw === 'UseDevelopmentStorage=true' || !raw ? undefined : raw;
  if (!connectionString && !blobServiceUri && !tableServiceUri) return undefined;
  return { connectionString, blobServiceUri, tableServiceUri, clientId };
}

/**
 * Reads the data storage: in Azure `DpsDataStorage__*` (the data account, apart from the host's state and
 * the deployment package); locally, where it is unset, the host's `AzureWebJobsStorage` (embedded Azurite).
 */
export function readStorageConnection(): StorageConnectionSettings {
  // Each name spelled out: the infrastructure tests read the settings the app uses from these lines.
  const env = process.env;
  return connectionSettings(env.DpsDataStorage, env.DpsDataStorage__blobServiceUri, env.DpsDataStorage__tableServiceUri, env.DpsDataStorage__clientId)
    ?? connectionSettings(env.AzureWebJobsStorage, env.AzureWebJobsStorage__blobServiceUri, env.AzureWebJobsStorage__tableServiceUri, env.AzureWebJobsStorage__clientId)
    ?? {};
}

/**
 * Application Insights, read apart from `readSettings` because telemetry starts before the functions
 * load; empty values count as unset (the local sample leaves them empty: nothing is started locally).
 */
export function readTelemetrySettings(): TelemetrySettings {
  const env = process.env;
  return { connectionString: env.APPLICATIONINSIGHTS_CONNECTION_STRING || undefined, authentication: env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING || undefined };
}
