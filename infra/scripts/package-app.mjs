#!/usr/bin/env node
// `npm run package` (azd runs it after `npm run build`): stages what Azure runs into dist/package, the folder azd
// zips (azure.yaml `dist`). The package holds the compiled Functions app and Domain, host.json, a package.json with
// production dependencies only, and exactly those dependencies from node_modules (npm ls --omit=dev): no local host,
// CLI, tests, emulator, Azurite or dev dependencies. A relative import that leaves the staged tree is an error naming
// the file, so a package that would fail to load in Azure is never produced.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
// An optional argument stages elsewhere (the infra tests use a temporary folder).
const out = path.resolve(process.argv[2] ?? path.join(root, 'dist', 'package'));
/** Compiled source folders the app loads; everything else under dist/src stays local. */
const appFolders = ['dist/src/Dps.Functions', 'dist/src/Dps.Domain'];
/** Packages that must never ship (emulator, test and build tools), checked after staging. */
const forbidden = ['azurite', 'typescript', 'vitest', 'tree-sitter-bicep', 'web-tree-sitter', 'onnxruntime-node', 'ml-random-forest'];

function fail(message) {
  console.error(`package: ${message}`);
  process.exit(1);
}

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
if (!existsSync(path.join(root, manifest.main))) fail(`${manifest.main} (package.json main) does not exist: run npm run build first`);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
/** Source maps, type declarations and docs are never loaded at run time. */
const dropped = /(\.map|\.d\.[cm]?ts|\.tsbuildinfo|\.md)$/i;
const keep = (source) => !dropped.test(source);
for (const folder of appFolders) cpSync(path.join(root, folder), path.join(out, folder), { recursive: true, filter: keep });
// tsc compiles scripts, not the console's static files (HTML, CSS, browser modules): they go next to console.http.js.
const consoleAssets = 'src/Dps.Functions/console/assets';
cpSync(path.join(root, consoleAssets), path.join(out, 'dist', consoleAssets), { recursive: true, filter: keep });
cpSync(path.join(root, 'host.json'), path.join(out, 'host.json'));
const { name, version, description, license, main, engines, dependencies } = manifest;
writeFileSync(path.join(out, 'package.json'), `${JSON.stringify({ name, version, private: true, description, license, main, engines, dependencies }, null, 2)}\n`);

// npm ls prints every installed production package (nested copies included) as an absolute path, root first.
let listing;
try {
  listing = execFileSync('npm', ['ls', '--omit=dev', '--all', '--parseable'], { cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'ignore'] });
} catch (error) {
  // npm ls exits 1 on problems such as extraneous packages but still lists the tree; a missing one is not listed.
  listing = error.stdout ?? fail('npm ls --omit=dev failed; run npm ci');
}
const modules = listing.split('\n').map((line) => line.trim()).filter((line) => line && line !== root);
for (const modulePath of modules) {
  const relative = path.relative(root, modulePath);
  if (!relative.startsWith('node_modules')) continue;
  // Nested node_modules are listed (and copied) on their own when they hold production packages.
  cpSync(modulePath, path.join(out, relative), { recursive: true, filter: (source) => source === modulePath || (keep(source) && !path.relative(modulePath, source).split(path.sep).includes('node_modules')) });
}

const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else files.push(full);
  }
};
walk(out);

const shipped = forbidden.filter((pkg) => existsSync(path.join(out, 'node_modules', pkg)));
if (shipped.length > 0) fail(`${shipped.join(', ')} would ship: move them to devDependencies in package.json`);
const relativeImport = /require\((['"])(\.{1,2}\/[^'"]+)\1\)/g;
for (const file of files.filter((candidate) => candidate.endsWith('.js') && candidate.startsWith(path.join(out, 'dist')))) {
  for (const [, , target] of readFileSync(file, 'utf8').matchAll(relativeImport)) {
    const resolved = path.resolve(path.dirname(file), target);
    if (![resolved, `${resolved}.js`, path.join(resolved, 'index.js'), `${resolved}.json`].some((candidate) => existsSync(candidate))) {
      fail(`${path.relative(out, file)} requires '${target}', which is not in the package (only ${appFolders.join(' and ')} ship)`);
    }
  }
}

const bytes = files.reduce((sum, file) => sum + statSync(file).size, 0);
console.log(`package: dist/package holds ${files.length} files, ${(bytes / 1024 / 1024).toFixed(1)} MB, ${modules.length} production packages`);
