import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepFile, bicepDir, repoRoot } from './bicep-files';
import { declaration, declarations, nameOf, valueOf } from './bicep-model';

/** Returns the `key: value` lines indented directly under `parent:` (a top-level or nested mapping key) of a YAML text. */
function yamlMapping(text: string, ...parents: string[]): Record<string, string> {
  let lines = text.split('\n').filter((line) => line.trim() && !line.trimStart().startsWith('#'));
  for (const parent of parents) {
    const start = lines.findIndex((line) => line.trim() === `${parent}:`);
    if (start < 0) return {};
    const indent = lines[start].length - lines[start].trimStart().length;
    const end = lines.findIndex((line, index) => index > start && line.length - line.trimStart().length <= indent);
    lines = lines.slice(start + 1, end < 0 ? undefined : end);
  }
  const childIndent = Math.min(...lines.map((line) => line.length - line.trimStart().length));
  return Object.fromEntries(
    lines.filter((line) => line.length - line.trimStart().length === childIndent).map((line) => line.trim().split(/:\s*/, 2) as [string, string]),
  );
}

describe('azd project', () => {
  const azureYaml = readFileSync(path.join(repoRoot, 'azure.yaml'), 'utf8');

  it('declares the dps project with one Functions service api built from the repository root', () => {
    expect(yamlMapping(azureYaml).name).toBe('dps');
    expect(Object.keys(yamlMapping(azureYaml, 'services'))).toEqual(['api']);
    expect(yamlMapping(azureYaml, 'services', 'api')).toEqual({ project: '.', language: 'ts', host: 'function', dist: 'dist/package' });
    const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string>; dependencies: Record<string, string> };
    expect(manifest.scripts.package, 'azd runs npm run package, which stages dist/package').toBe('node infra/scripts/package-app.mjs');
    expect(Object.keys(manifest.dependencies)).not.toContain('azurite');
  });

  it('provisions with Bicep from infra/bicep', () => {
    expect(yamlMapping(azureYaml, 'infra')).toEqual({ provider: 'bicep', path: 'infra/bicep' });
  });

  it('feeds main.bicep from azd environment variables, every required param included', async () => {
    const parameters = JSON.parse(readFileSync(path.join(bicepDir, 'main.parameters.json'), 'utf8')).parameters as Record<string, { value: string }>;
    const params = declarations((await bicepFile('main.bicep')).root, 'parameter');
    const known = params.map(nameOf);
    expect(Object.keys(parameters).filter((name) => !known.includes(name))).toEqual([]);
    const required = params.filter((param) => !valueOf(param)).map(nameOf);
    expect(required.filter((name) => !(name in parameters))).toEqual([]);
    expect(parameters.environmentName.value).toBe('${AZURE_ENV_NAME}');
    expect(parameters.location.value).toBe('${AZURE_LOCATION}');
    expect(parameters.principalId.value).toBe('${AZURE_PRINCIPAL_ID}');
    expect(Object.values(parameters).every(({ value }) => /^\$\{[A-Z_]+(=[^}]*)?\}$/.test(value))).toBe(true);
  });

  it('lets azd pin the budget start date from the output of the first provision', async () => {
    const parameters = readFileSync(path.join(bicepDir, 'main.parameters.json'), 'utf8');
    expect(parameters).toContain('"budgetStartDate": { "value": "${AZURE_BUDGET_START_DATE}" }');
    const output = declaration((await bicepFile('main.bicep')).root, 'output', 'AZURE_BUDGET_START_DATE');
    expect(valueOf(output)?.text).toBe('budgetStart');
  });

  it('subscribes the Event Grid-sourced landing trigger after deployment (POSIX and Windows), waiting for the blobs key, with retries and a dead-letter container', async () => {
    const outputs = declarations((await bicepFile('main.bicep')).root, 'output').map(nameOf);
    const expected = ['AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_LANDING_SYSTEM_TOPIC', 'AZURE_STORAGE_ACCOUNT_ID', 'AZURE_LANDING_DEADLETTER_CONTAINER'];
    for (const [shell, file, variablePattern] of [
      ['sh', 'subscribe-landing-events.sh', /\$\{(AZURE_[A-Z_]+):\?/g],
      ['pwsh', 'subscribe-landing-events.ps1', /'(AZURE_[A-Z_]+)'/g],
    ] as const) {
      expect(yamlMapping(azureYaml, 'hooks', 'postdeploy', shell === 'sh' ? 'posix' : 'windows')).toMatchObject({ shell, run: `infra/scripts/${file}` });
      const script = readFileSync(path.join(repoRoot, 'infra', 'scripts', file), 'utf8');
      const variables = [...script.matchAll(variablePattern)].map((m) => m[1]);
      expect(variables, file).toEqual(expected);
      for (const variable of variables) expect(outputs).toContain(variable);
      // Every Event Grid-sourced blob trigger of the app is subscribed, each on its own container.
      expect(script).toContain('functionName=Host.Functions.$');
      for (const [name, fn, container] of [['landing-blob-created', 'landingBlob', shell === 'sh' ? '"$CONTAINER"' : '$container'], ['scoring-blob-created', 'scoringBlob', shell === 'sh' ? '"$SCORING_CONTAINER"' : '$scoringContainer']]) {
        expect(script, `${file} subscribes ${fn}`).toMatch(new RegExp(`ubscribe '?${name}'? '?${fn}'? ${container.replace(/\$/g, '\\$')}`));
      }
      expect(script).toContain('Microsoft.Storage.BlobCreated');
      expect(script).toContain('/blobServices/default/containers/$');
      expect(script, `${file} waits for the key`).toMatch(/sleep|Start-Sleep/);
      expect(script).toContain('--max-delivery-attempts');
      expect(script).toContain('--deadletter-identity systemassigned');
    }
    const sources = readdirSync(path.join(repoRoot, 'src', 'Dps.Functions'), { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.ts'));
    const trigger = sources.map((name) => readFileSync(path.join(repoRoot, 'src', 'Dps.Functions', name), 'utf8')).find((text) => text.includes("app.storageBlob('landingBlob'"));
    expect(trigger, 'src/Dps.Functions registers landingBlob').toBeDefined();
    expect(trigger).toContain("source: 'EventGrid'");
  });

  it('generates the PII salt into Key Vault after provisioning (POSIX and Windows), keeping an existing one', async () => {
    const outputs = declarations((await bicepFile('main.bicep')).root, 'output').map(nameOf);
    expect(yamlMapping(azureYaml, 'hooks', 'postprovision', 'posix')).toMatchObject({ shell: 'sh', run: 'infra/scripts/ensure-pii-salt.sh' });
    expect(yamlMapping(azureYaml, 'hooks', 'postprovision', 'windows')).toMatchObject({ shell: 'pwsh', run: 'infra/scripts/ensure-pii-salt.ps1' });
    for (const file of ['ensure-pii-salt.sh', 'ensure-pii-salt.ps1']) {
      const script = readFileSync(path.join(repoRoot, 'infra', 'scripts', file), 'utf8');
      for (const variable of ['AZURE_KEY_VAULT_NAME', 'DPS_PII_SALT_SECRET_NAME']) {
        expect(script, file).toContain(variable);
        expect(outputs).toContain(variable);
      }
      expect(script, `${file} checks for an existing salt before writing`).toMatch(/secret list[\s\S]*already exists[\s\S]*secret set/);
      expect(script, `${file} reads 32 random bytes`).toMatch(/\/dev\/urandom|RandomNumberGenerator/);
    }
  });
});
