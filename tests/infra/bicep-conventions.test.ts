import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { bicepFile, bicepFiles, repoRoot } from './bicep-files';
import { bodyOf, call, declaration, declarations, decorators, literal, nameOf, property, resourcesOfType, resourceType, valueOf } from './bicep-model';

const camelCase = /^[a-z][a-zA-Z0-9]*$/;
const upperSnake = /^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/;

describe('Bicep conventions', () => {
  it('describes every param as Required. (no default) or Optional. (has a default)', async () => {
    const wrong = (await bicepFiles()).flatMap(({ file, root }) =>
      declarations(root, 'parameter').flatMap((param) => {
        const description = String(literal(decorators(param).get('description')?.[0]) ?? '');
        const expected = valueOf(param) ? 'Optional. ' : 'Required. ';
        return description.startsWith(expected) ? [] : [`${file}: ${nameOf(param)} should start "${expected}" but is "${description}"`];
      }),
    );
    expect(wrong, wrong.join('\n')).toEqual([]);
  });

  it('names params, vars, resources, modules, types and functions in lower camelCase', async () => {
    const kinds = ['parameter', 'variable', 'resource', 'module', 'type', 'user_defined_function'] as const;
    const wrong = (await bicepFiles()).flatMap(({ file, root }) =>
      kinds.flatMap((kind) => declarations(root, kind).map(nameOf)).filter((name) => !camelCase.test(name)).map((name) => `${file}: ${name}`),
    );
    expect(wrong).toEqual([]);
  });

  it('names main.bicep outputs in UPPER_SNAKE for azd and module outputs in camelCase', async () => {
    const files = await bicepFiles();
    const wrong = files.flatMap(({ file, root }) => {
      const pattern = file === 'infra/bicep/main.bicep' ? upperSnake : camelCase;
      return declarations(root, 'output').map(nameOf).filter((name) => !pattern.test(name)).map((name) => `${file}: ${name}`);
    });
    expect(wrong).toEqual([]);
    const main = files.find(({ file }) => file === 'infra/bicep/main.bicep');
    expect(declarations(main!.root, 'output').map(nameOf)).toEqual(
      expect.arrayContaining(['AZURE_FUNCTION_APP_NAME', 'AZURE_STORAGE_ACCOUNT_NAME', 'SERVICE_API_NAME', 'SERVICE_API_URI', 'AZURE_RESOURCE_GROUP']),
    );
  });

  it('names every role assignment guid(scope id, principalId, role) with the role it grants', async () => {
    const assignments = (await bicepFiles()).flatMap(({ file, root }) =>
      resourcesOfType(root, 'Microsoft.Authorization/roleAssignments').map((resource) => ({ file, resource, body: bodyOf(resource) })),
    );
    expect(assignments.length).toBeGreaterThanOrEqual(5);
    for (const { file, resource, body } of assignments) {
      const where = `${file}: ${nameOf(resource)}`;
      const name = call(property(body, 'name'));
      expect(name?.fn, where).toBe('guid');
      const [scopeId, principal, role] = name!.args.map((arg) => arg.text);
      const scope = property(body, 'scope')?.text;
      expect(scopeId, where).toBe(scope ? `${scope}.id` : 'resourceGroup().id');
      expect(principal, where).toBe('principalId');
      const granted = call(property(body, 'properties'));
      expect(granted?.fn, where).toBe('roleAssignmentProperties');
      expect(granted!.args.map((arg) => arg.text)).toEqual(['principalId', expect.any(String), role]);
    }
  });

  it('uses GA (non-preview) API versions, except diagnostic settings (no GA version has categoryGroup)', async () => {
    const previews = (await bicepFiles()).flatMap(({ file, root }) =>
      declarations(root, 'resource')
        .map(resourceType)
        .filter((type) => /preview/i.test(type) && type !== 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview')
        .map((type) => `${file}: ${type}`),
    );
    expect(previews).toEqual([]);
  });

  it('describes every output', async () => {
    const undescribed = (await bicepFiles()).flatMap(({ file, root }) =>
      declarations(root, 'output').filter((output) => !String(literal(decorators(output).get('description')?.[0]) ?? '')).map((output) => `${file}: ${nameOf(output)}`),
    );
    expect(undescribed).toEqual([]);
  });

  it('names resources with the CAF abbreviations of abbreviations.json', async () => {
    const abbreviations = JSON.parse(readFileSync(path.join(repoRoot, 'infra', 'bicep', 'abbreviations.json'), 'utf8')) as Record<string, string>;
    expect(abbreviations).toMatchObject({ eventGridSystemTopics: 'egst-', insightsActionGroups: 'ag-', webSitesFunctions: 'func-', keyVaultVaults: 'kv-', storageStorageAccounts: 'st' });
    const { root } = await bicepFile('main.bicep');
    expect(valueOf(declaration(root, 'variable', 'abbrs'))?.text).toBe("loadJsonContent('abbreviations.json')");
    const names = valueOf(declaration(root, 'variable', 'names'))!;
    const unprefixed = names.namedChildren.filter((entry) => entry.type === 'object_property').filter((entry) => !entry.namedChildren[1].text.startsWith("'${abbrs.")).map((entry) => entry.namedChildren[0].text);
    expect(unprefixed).toEqual([]);
    const used = [...names.text.matchAll(/abbrs\.(\w+)/g)].map((match) => match[1]);
    expect(used.filter((key) => !(key in abbreviations))).toEqual([]);
  });

  it('points every module and import at a file that exists', async () => {
    const missing = (await bicepFiles()).flatMap(({ file, root }) => {
      const targets = [
        ...declarations(root, 'module').map((module) => module.namedChildren[1]),
        ...root.namedChildren.filter((node) => node.type === 'import_functionality').map((node) => node.namedChildren.at(-1)!),
      ];
      return targets.map((target) => path.join(repoRoot, path.dirname(file), String(literal(target)))).filter((target) => !existsSync(target));
    });
    expect(missing).toEqual([]);
  });
});
