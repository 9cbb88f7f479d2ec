import { afterEach, describe, expect, it } from 'vitest';
import { readSettings } from '../../src/Dps.Functions/settings';

const names = ['DPS_TRAINING_TRIALS', 'DPS_TRAINING_SEED', 'DPS_FINOPS_HOURLY_COST', 'DPS_FINOPS_GRACE_MINUTES'];
afterEach(() => {
  for (const name of names) delete process.env[name];
});

describe('app settings', () => {
  it('uses the documented defaults when settings are absent or empty', () => {
    process.env.DPS_TRAINING_TRIALS = '';
    const settings = readSettings();
    expect(settings.training).toEqual({ trials: 6, seed: 42 });
    expect(settings.finops).toMatchObject({ hourlyCost: 0, graceMinutes: 15, dryRun: true });
  });

  it('refuses a malformed number with an error naming the setting', () => {
    process.env.DPS_TRAINING_TRIALS = 'abc';
    expect(() => readSettings()).toThrow("app setting DPS_TRAINING_TRIALS must be a whole number >= 1, got 'abc'");
    process.env.DPS_TRAINING_TRIALS = '3';
    process.env.DPS_FINOPS_HOURLY_COST = '-1';
    expect(() => readSettings()).toThrow(/DPS_FINOPS_HOURLY_COST must be a number >= 0, got '-1'/);
  });
});
