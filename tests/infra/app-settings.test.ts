import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { templateAppSettings } from './app-settings-template';
import { bicepFile, repoRoot } from './bicep-files';
import { declaration, elements, literal, valueOf } from './bicep-model';
import { scanDirectory, scanSource } from './settings-scan';

/** Variables the Functions platform (and the local host) set by themselves. */
const platformSettings = ['WEBSITE_HOSTNAME', 'WEBSITE_SITE_NAME', 'WEBSITE_INSTANCE_ID'];

const contractDefaults = {
  DPS_TASK_HUB: 'dps',
  DPS_TELEMETRY_HUB: 'telemetry',
  DPS_AUDIT_HUB: 'audit',
  DPS_FINOPS_SCHEDULE: '0 0 * * * *',
  DPS_FINOPS_DRY_RUN: 'true',
  DPS_FINOPS_DEFAULT_SCHEDULE: 'off=(M-F,19);on=(M-F,7);tz=UTC',
  DPS_FINOPS_HOURLY_COST: '0',
  DPS_FINOPS_GRACE_MINUTES: '15',
  DPS_FINOPS_INVENTORY: 'azure',
};

const appReads = () => scanDirectory(path.join(repoRoot, 'src', 'Dps.Functions'));

/** Connections the app uses: AzureWebJobsStorage, every binding connection, every identity-based family of the template. */
async function connectionNames(): Promise<string[]> {
  const families = (await templateAppSettings()).map(({ name }) => name).filter((name) => name.endsWith('__credential')).map((name) => name.split('__')[0]);
  return [...new Set(['AzureWebJobsStorage', ...appReads().connections, ...families])];
}

/** The connection a setting name belongs to (`X` or `X__...`), if any. */
function connectionOf(name: string, connections: string[]): string | undefined {
  return connections.find((connection) => name === connection || name.startsWith(`${connection}__`));
}

function localSampleValues(): Record<string, unknown> {
  const file = path.join(repoRoot, 'local.settings.sample.json');
  if (!existsSync(file)) {
    throw new Error('local.settings.sample.json is missing at the repository root: it must list every setting the app reads, with local defaults, as {"IsEncrypted": false, "Values": {...}}');
  }
  const sample = JSON.parse(readFileSync(file, 'utf8')) as { IsEncrypted?: unknown; Values?: Record<string, unknown> };
  expect(sample.IsEncrypted, 'local.settings.sample.json IsEncrypted').toBe(false);
  expect(typeof sample.Values, 'local.settings.sample.json Values').toBe('object');
  return sample.Values!;
}

async function mainList(variable: string): Promise<string[]> {
  return elements(valueOf(declaration((await bicepFile('main.bicep')).root, 'variable', variable))).map((node) => String(literal(node)));
}

describe('setting scanner', () => {
  it('finds env reads in both notations, binding connections and the storage the host implies', () => {
    const source = [
      "const hub = process.env.DPS_TELEMETRY_HUB ?? 'telemetry';",
      "const dry = process.env['DPS_FINOPS_DRY_RUN'];",
      'function env(name: string, fallback: string): string { const value = process.env[name]; return value ?? fallback; }',
      "const landing = env('DPS_CONTAINER_LANDING', 'landing');",
      "app.eventHub('driftMonitor', { connection: 'EventHubConnection', eventHubName: '%DPS_TELEMETRY_HUB%', handler });",
      "df.app.orchestration('pipeline', function* () {});",
    ].join('\n');
    expect(scanSource(source)).toEqual({
      env: ['DPS_CONTAINER_LANDING', 'DPS_FINOPS_DRY_RUN', 'DPS_TELEMETRY_HUB'],
      connections: ['AzureWebJobsStorage', 'EventHubConnection'],
    });
  });

  it('finds nothing in code that reads no settings', () => {
    expect(scanSource("export const answer = 42; // process.env is not touched\nconst env = process;")).toEqual({ env: [], connections: [] });
  });
});

describe('app settings contract', () => {
  it('gives the Function App the contract defaults, all as strings', async () => {
    const settings = await templateAppSettings();
    const resolved = Object.fromEntries(settings.map(({ name, resolved }) => [name, resolved]));
    expect(resolved).toMatchObject(contractDefaults);
    const byName = new Map(settings.map((setting) => [setting.name, setting.value.text]));
    expect(byName.get('DPS_FINOPS_RESOURCE_GROUPS')).toBe("join(offHoursResourceGroups, ',')");
    expect(byName.get('AZURE_SUBSCRIPTION_ID')).toBe('subscription().subscriptionId');
    expect(settings.filter(({ resolved }) => resolved !== undefined && typeof resolved !== 'string').map(({ name }) => name)).toEqual([]);
  });

  it('names one DPS_CONTAINER_<NAME> per data container and one DPS_TABLE_<NAME> per table', async () => {
    const resolved = Object.fromEntries((await templateAppSettings()).map(({ name, resolved }) => [name, resolved]));
    const expected = (prefix: string, names: string[]) => Object.fromEntries(names.map((name) => [`${prefix}${name.toUpperCase()}`, name]));
    const pick = (prefix: string) => Object.fromEntries(Object.entries(resolved).filter(([name]) => name.startsWith(prefix)));
    expect(pick('DPS_CONTAINER_')).toEqual(expected('DPS_CONTAINER_', await mainList('dataContainers')));
    expect(pick('DPS_TABLE_')).toEqual(expected('DPS_TABLE_', await mainList('tables')));
  });

  it('sets in the template every environment variable the Functions app reads', async () => {
    const names = new Set((await templateAppSettings()).map(({ name }) => name));
    const connections = await connectionNames();
    const missing = appReads().env.filter((name) => !names.has(name) && !platformSettings.includes(name) && !connections.includes(name));
    expect(missing, 'read by src/Dps.Functions but not set by var appSettings in main.bicep').toEqual([]);
  });

  it('gives every binding connection identity-based settings (NAME__...) in the template, never a connection string', async () => {
    const names = (await templateAppSettings()).map(({ name }) => name);
    const connections = await connectionNames();
    const wrong = connections.filter((connection) => names.includes(connection) || !names.some((name) => name.startsWith(`${connection}__`)));
    expect(wrong, 'connections without NAME__ settings, or set as a plain connection string').toEqual([]);
  });

  it('lists every setting the app reads, and every DPS_ setting of the template, in local.settings.sample.json', async () => {
    const values = Object.keys(localSampleValues());
    const reads = appReads();
    const connections = await connectionNames();
    const templateDps = (await templateAppSettings()).map(({ name }) => name).filter((name) => name.startsWith('DPS_'));
    const provided = (name: string) => {
      const family = connectionOf(name, connections);
      return family ? values.some((value) => connectionOf(value, [family])) : values.includes(name) || platformSettings.includes(name);
    };
    const missing = [...new Set([...reads.env, ...templateDps, ...reads.connections])].filter((name) => !provided(name));
    expect(missing, 'missing from local.settings.sample.json Values').toEqual([]);
  });
});
