import { randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** Returns the local function key: the given one, else the one saved in the state dir, else a new one saved there. */
export function resolveFunctionKey(configured: string | undefined, stateDir: string | undefined): string {
  if (configured) return configured;
  const file = stateDir ? path.join(stateDir, 'function-key') : undefined;
  if (file && existsSync(file)) return readFileSync(file, 'utf8').trim();
  const key = randomBytes(24).toString('base64url');
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, key + '\n', { mode: 0o600 });
  }
  return key;
}

/** Compares a presented key with the expected one in constant time. */
export function keyMatches(presented: string | undefined | null, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
