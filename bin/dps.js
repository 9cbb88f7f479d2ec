#!/usr/bin/env node
'use strict';
// Thin launcher: the CLI is compiled TypeScript in dist/ (built by `npm ci` through the prepare script).
const { existsSync } = require('node:fs');
const path = require('node:path');
const entry = path.join(__dirname, '..', 'dist', 'src', 'Dps.Cli', 'main.js');
if (!existsSync(entry)) {
  process.stderr.write("dps: the project is not built yet; run 'npm run build' (npm ci does it for you)\n");
  process.exit(1);
}
require(entry).main();
