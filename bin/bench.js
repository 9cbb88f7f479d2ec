#!/usr/bin/env node
'use strict';
// `npm run bench [name...]`: builds, then runs every dist/bench/*.bench.js (or the named ones) in turn.
const { execFileSync } = require('node:child_process');
const { readdirSync } = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', path.join(root, 'tsconfig.json')], { stdio: 'inherit' });
const dir = path.join(root, 'dist', 'bench');
const wanted = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.bench.js')).filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)));

(async () => {
  for (const file of files) {
    console.log(`\n== ${file.replace('.bench.js', '')} ==`);
    await require(path.join(dir, file)).run();
  }
})().catch((error) => {
  console.error(`bench failed: ${error.message}`);
  process.exitCode = 1;
});
