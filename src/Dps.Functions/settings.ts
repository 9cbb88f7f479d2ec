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
  training: { trials: number; seed: number };
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
}

export type ContainerName = 'landing' | 'bronze' | 'silver' | 'quarantine' | 'gold' | 'models' | 'audit' | 'reports';
export type TableName = 'datasets' | 'runs' | 'models' | 'aliases' | 'lineage' | 'audit' | 'finops';

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

/** Reads the settings from the environment, with the documented defaults; a malformed number is an error naming its setting. */
export function readSettings(): DpsSettings {
  return {
    taskHub: env('DPS_TASK_HUB', 'dps'),
    piiSalt: env('DPS_PII_SALT', 'dps-local-development-salt'),
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
    },
    tables: {
      datasets: env('DPS_TABLE_DATASETS', 'datasets'),
      runs: env('DPS_TABLE_RUNS', 'runs'),
      models: env('DPS_TABLE_MODELS', 'models'),
      aliases: env('DPS_TABLE_ALIASES', 'aliases'),
      lineage: env('DPS_TABLE_LINEAGE', 'lineage'),
      audit: env('DPS_TABLE_AUDIT', 'audit'),
      finops: env('DPS_TABLE_FINOPS', 'finops'),
    },
    training: {
      trials: numberSetting('DPS_TRAINING_TRIALS', 6, { min: 1, whole: true }),
      seed: numberSetting('DPS_TRAINING_SEED', 42, { min: 0, whole: true }),
    },
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
  };
}

/** The storage connection the Functions runtime itself uses (`AzureWebJobsStorage`). */
export interface StorageConnectionSettings {
  connectionString?: string;
  blobServiceUri?: string;
  tableServiceUri?: string;
  clientId?: string;
}

/** Reads `AzureWebJobsStorage`: a connection string locally, identity-based service URIs in Azure. */
export function readStorageConnection(): StorageConnectionSettings {
  const raw = process.env.AzureWebJobsStorage;
  return {
    connectionString: raw === 'UseDevelopmentStorage=true' || !raw ? undefined : raw,
    blobServiceUri: process.env.AzureWebJobsStorage__blobServiceUri,
    tableServiceUri: process.env.AzureWebJobsStorage__tableServiceUri,
    clientId: process.env.AzureWebJobsStorage__clientId,
  };
}
