import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { parseBicep } from './bicep-parser';

export interface BicepFile {
  /** Path relative to the repository root, e.g. `infra/bicep/modules/storage.bicep`. */
  file: string;
  source: string;
  root: Node;
}

export const repoRoot = path.resolve(__dirname, '..', '..');
export const bicepDir = path.join(repoRoot, 'infra', 'bicep');

let loading: Promise<BicepFile[]> | undefined;

/** Parses every `.bicep` file under infra/bicep once and returns them sorted by path. */
export function bicepFiles(): Promise<BicepFile[]> {
  loading ??= Promise.all(
    readdirSync(bicepDir, { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.bicep'))
      .sort()
      .map(async (name) => {
        const source = readFileSync(path.join(bicepDir, name), 'utf8');
        return { file: path.posix.join('infra/bicep', name.split(path.sep).join('/')), source, root: await parseBicep(source) };
      }),
  );
  return loading;
}

/** Returns one parsed file by its path under infra/bicep, e.g. `modules/storage.bicep`. */
export async function bicepFile(relative: string): Promise<BicepFile> {
  const found = (await bicepFiles()).find((candidate) => candidate.file === `infra/bicep/${relative}`);
  if (!found) throw new Error(`infra/bicep/${relative} does not exist`);
  return found;
}
