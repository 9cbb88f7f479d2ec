'use strict';
// Compiles with tsc when a TypeScript source is newer than the build's marker file (npm start, the test run).
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * Runs `tsc -p project` when `marker` (a compiled file; tsc rewrites every output) is missing or older than a
 * .ts file under `sources`; returns false when tsc reported errors (it still emits).
 */
function buildIfStale({ project = 'tsconfig.json', sources = ['src'], marker = 'dist/src/Dps.Cli/start.js', write = (line) => process.stdout.write(line) } = {}) {
  const markerPath = path.join(root, marker);
  if (existsSync(markerPath) && Math.max(...sources.map((s) => newestSource(path.join(root, s)))) <= statSync(markerPath).mtimeMs) return true;
  write('building...\n');
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, project)], { stdio: 'inherit' });
    return true;
  } catch {
    return false;
  }
}

module.exports = { buildIfStale };
