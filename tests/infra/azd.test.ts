import { readFileSync } from 'node:fs';
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
    expect(yamlMapping(azureYaml, 'services', 'api')).toEqual({ project: '.', language: 'ts', host: 'function' });
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

  it('subscribes the Event Grid-sourced landing trigger after deployment, reading the blobs key at deploy time only', async () => {
    expect(yamlMapping(azureYaml, 'hooks', 'postdeploy', 'posix')).toMatchObject({ shell: 'sh', run: 'infra/scripts/subscribe-landing-events.sh' });
    const script = readFileSync(path.join(repoRoot, 'infra', 'scripts', 'subscribe-landing-events.sh'), 'utf8');
    const outputs = declarations((await bicepFile('main.bicep')).root, 'output').map(nameOf);
    const variables = script.match(/\$\{(AZURE_[A-Z_]+):\?/g)?.map((m) => m.slice(2, -2)) ?? [];
    expect(variables).toEqual(['AZURE_RESOURCE_GROUP', 'AZURE_FUNCTION_APP_NAME', 'AZURE_LANDING_SYSTEM_TOPIC']);
    for (const variable of variables) expect(outputs).toContain(variable);
    expect(script).toContain('functionName=Host.Functions.landingBlob');
    expect(script).toContain('Microsoft.Storage.BlobCreated');
    expect(script).toMatch(/--subject-begins-with "\/blobServices\/default\/containers\/\$CONTAINER\/"/);
    const trigger = readFileSync(path.join(repoRoot, 'src', 'Dps.Functions', 'blob', 'landing-trigger.ts'), 'utf8');
    expect(trigger).toContain("app.storageBlob('landingBlob'");
    expect(trigger).toContain("source: 'EventGrid'");
  });
});
