import { describe, expect, it } from 'vitest';
import { bicepFiles } from './bicep-files';
import { syntaxProblems } from './bicep-model';
import { parseBicep } from './bicep-parser';

describe('Bicep syntax (tree-sitter-bicep)', () => {
  it('finds the entry point and the modules', async () => {
    const files = (await bicepFiles()).map(({ file }) => file);
    expect(files).toContain('infra/bicep/main.bicep');
    expect(files.filter((file) => file.startsWith('infra/bicep/modules/')).length).toBeGreaterThan(5);
  });

  it('parses every .bicep file without ERROR or MISSING nodes', async () => {
    const problems = (await bicepFiles()).flatMap(({ root, file }) => syntaxProblems(root, file));
    expect(problems, problems.join('\n')).toEqual([]);
  });

  it('reports the file and line of a syntax error', async () => {
    const broken = "param ok string\nresource r 'Microsoft.Storage/storageAccounts@2024-01-01' = {\n  name: 'x'\n  properties: { a: }\n}\n";
    const problems = syntaxProblems(await parseBicep(broken), 'fixture.bicep');
    expect(problems.length).toBeGreaterThan(0);
    expect(problems.every((problem) => problem.startsWith('fixture.bicep:4:'))).toBe(true);
  });
});
