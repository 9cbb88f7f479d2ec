// Vitest global setup: code that runs on worker threads (the compute pool) loads compiled JavaScript, so the
// compiled worker must match the sources under test. Only the worker and the Domain it imports are built.
import { createRequire } from 'node:module';

interface BuildOptions { project: string; sources: string[]; marker: string; write: (line: string) => void }
const { buildIfStale } = createRequire(__filename)('../../bin/build-if-stale.js') as { buildIfStale: (options: BuildOptions) => boolean };

export default function setup(): void {
  const built = buildIfStale({
    project: 'tsconfig.worker.json',
    sources: ['src/Dps.Domain', 'src/Dps.Functions/compute'],
    marker: 'dist/src/Dps.Functions/compute/compute-worker.js',
    write: (line) => process.stderr.write(`test setup: compute worker ${line}`),
  });
  // tsc still emits on type errors; `npm ci` (the prepare script) is what fails a build with them.
  if (!built) process.stderr.write('test setup: tsc reported errors (above)\n');
}
