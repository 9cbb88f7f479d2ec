import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The app's root folder (where package.json, host.json and the settings files are), from src/ or dist/. */
export function findAppRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'host.json')) && existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) throw new Error(`no app root (host.json and package.json) above ${from}`);
  }
}

/**
 * Reads `local.settings.json` (or, on a fresh clone, `local.settings.sample.json`) the way `func start`
 * does; values already in the environment win.
 */
export function loadLocalSettings(appRoot: string): { file?: string; values: Record<string, string> } {
  for (const name of ['local.settings.json', 'local.settings.sample.json']) {
    const file = path.join(appRoot, name);
    if (!existsSync(file)) continue;
    let parsed: { Values?: Record<string, unknown> };
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8')) as { Values?: Record<string, unknown> };
    } catch (error) {
      throw new Error(`${name} is not valid JSON: ${(error as Error).message}`);
    }
    const values: Record<string, string> = {};
    for (const [key, value] of Object.entries(parsed.Values ?? {})) {
      values[key] = process.env[key] ?? String(value);
    }
    return { file, values };
  }
  return { values: {} };
}
