import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Piscina } from 'piscina';
import type { ComputeRequest, ComputeTask } from './compute-task';

/** Runs CPU-bound tasks on worker threads, so HTTP, Durable and timers keep the event loop. */
export interface ComputePool {
  run<I, O>(task: ComputeTask<I, O>, input: I): Promise<O>;
  close(): Promise<void>;
}

/** How many threads the pool may use: the setting when given, else every core. */
export function computeThreads(setting: number | undefined): number {
  return setting && setting > 0 ? setting : Math.max(1, os.availableParallelism());
}

/**
 * The compiled worker script. Beside this file when the app runs compiled (Azure, `npm start`); when the
 * sources run directly (vitest), the build's copy under dist/, which `npm ci` and the test setup keep current.
 */
export function computeWorkerFile(): string {
  const beside = path.join(__dirname, 'compute-worker.js');
  if (existsSync(beside)) return beside;
  const root = path.resolve(__dirname, '..', '..', '..');
  const built = path.join(root, 'dist', path.relative(root, __dirname), 'compute-worker.js');
  if (existsSync(built)) return built;
  throw new Error(`the compute worker is not built (looked for ${beside} and ${built}); run 'npm run build'`);
}

/** A piscina pool created on first use; threads end after a minute idle so an idle app holds none. */
export function createComputePool(threads: number): ComputePool {
  let pool: Piscina | undefined;
  return {
    run: async <I, O>(task: ComputeTask<I, O>, input: I): Promise<O> => {
      pool ??= new Piscina({ filename: computeWorkerFile(), minThreads: 0, maxThreads: threads, idleTimeout: 60_000 });
      const request: ComputeRequest = { task: task.name, input };
      return (await pool.run(request)) as O;
    },
    close: async () => {
      const closing = pool;
      pool = undefined;
      await closing?.destroy();
    },
  };
}
