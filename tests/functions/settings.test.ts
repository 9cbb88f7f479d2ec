import { afterEach, describe, expect, it } from 'vitest';
import { readSettings, readStorageConnection } from '../../src/Dps.Functions/settings';

const names = ['DPS_TRAINING_TRIALS', 'DPS_TRAINING_SEED', 'DPS_FINOPS_HOURLY_COST', 'DPS_FINOPS_GRACE_MINUTES', 'DPS_PII_SALT',
  'DpsDataStorage', 'DpsDataStorage__blobServiceUri', 'DpsDataStorage__tableServiceUri', 'DpsDataStorage__clientId'];
const saved = process.env.AzureWebJobsStorage;
afterEach(() => {
  for (const name of names) delete process.env[name];
  process.env.AzureWebJobsStorage = saved;
});

describe('app settings', () => {
  it('uses the documented defaults when settings are absent or empty', () => {
    process.env.DPS_TRAINING_TRIALS = '';
    const settings = readSettings();
    expect(settings.training).toEqual({ trials: 6, seed: 42, maxClasses: 50, classWeights: 'auto', threshold: { rule: 'f1' } });
    expect(settings.finops).toMatchObject({ hourlyCost: 0, graceMinutes: 15, dryRun: true });
  });

  it('refuses a malformed number with an error naming the setting', () => {
    process.env.DPS_TRAINING_TRIALS = 'abc';
    expect(() => readSettings()).toThrow("app setting DPS_TRAINING_TRIALS must be a whole number >= 1, got 'abc'");
    process.env.DPS_TRAINING_TRIALS = '3';
    process.env.DPS_FINOPS_HOURLY_COST = '-1';
    expect(() => readSettings()).toThrow(/DPS_FINOPS_HOURLY_COST must be a number >= 0, got '-1'/);
  });

  it('refuses a PII salt that is still an unresolved Key Vault reference, naming the setting', () => {
    process.env.DPS_PII_SALT = '@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/dps-pii-salt)';
    expect(() => readSettings()).toThrow(/DPS_PII_SALT is an unresolved Key Vault reference/);
    process.env.DPS_PII_SALT = 'a-real-secret';
    expect(readSettings().piiSalt).toBe('a-real-secret');
  });

  it('reads the data account from DpsDataStorage, and the host storage only when that is unset', () => {
    process.env.AzureWebJobsStorage = 'DefaultEndpointsProtocol=http;AccountName=host';
    expect(readStorageConnection().connectionString).toBe('DefaultEndpointsProtocol=http;AccountName=host');
    process.env.DpsDataStorage = 'UseDevelopmentStorage=true';
    expect(readStorageConnection().connectionString).toBe('DefaultEndpointsProtocol=http;AccountName=host');
    process.env.DpsDataStorage__blobServiceUri = 'https://data.blob.core.windows.net';
    process.env.DpsDataStorage__tableServiceUri = 'https://data.table.core.windows.net';
    process.env.DpsDataStorage__clientId = 'id-1';
    expect(readStorageConnection()).toEqual({ connectionString: undefined, blobServiceUri: 'https://data.blob.core.windows.net', tableServiceUri: 'https://data.table.core.windows.net', clientId: 'id-1' });
  });
});
