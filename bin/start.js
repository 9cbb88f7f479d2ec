#!/usr/bin/env node
'use strict';
// `npm start`: compile if the sources are newer than the build, then run the local host.
const { execFileSync } = require('node:child_process');
const { existsSync, readdirSync, statSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const entry = path.join(root, 'dist', 'src', 'Dps.Cli', 'start.js');

function newestSource(dir) {
  let newest = 0;
  for (const item of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, item.name);
    if (item.isDirectory()) newest = Math.max(newest, newestSource(full));
    else if (item.name.endsWith('.ts')) newest = Math.max(newest, statSync(full).mtimeMs);
  }
  return newest;
}

if (!existsSync(entry) || newestSource(path.join(root, 'src')) > statSync(entry).mtimeMs) {
  process.stdout.write('building...\n');
  try {
    execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
  } catch {
    process.stderr.write('dps start: the TypeScript build failed (see above)\n');
    process.exit(1);
  }
}
require(entry).main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`dps start: ${error.message}\n`);
  if (process.argv.includes('--verbose')) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
