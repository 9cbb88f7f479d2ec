#!/usr/bin/env node
'use strict';
// `npm start`: compile if the sources are newer than the build, then run the local host.
const path = require('node:path');
const { buildIfStale } = require('./build-if-stale');

if (!buildIfStale()) {
  process.stderr.write('dps start: the TypeScript build failed (see above)\n');
  process.exit(1);
}
require(path.join(__dirname, '..', 'dist', 'src', 'Dps.Cli', 'start.js')).main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`dps start: ${error.message}\n`);
  if (process.argv.includes('--verbose')) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
});
