import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalHost, LocalHostOptions } from '../src/Dps.LocalHost/local-host';
import { createStreamLogger } from '../src/Dps.LocalHost/worker/host-logger';
import { addOne } from './fixtures/bench-app';

const SEQUENTIAL = 300;
const LONG_HISTORY = 1000;
const FAN_OUT = 2000;
const WIDE_FAN_OUT = 20_000;

async function timeOrchestration(host: LocalHost, name: string, input: number): Promise<number> {
  const started = performance.now();
  const id = await host.engine.startNew(name, undefined, JSON.stringify(input));
  const meta = await host.engine.waitForCompletion(id);
  if (meta?.status !== 'Completed') throw new Error(`${name} ended ${meta?.status}: ${JSON.stringify(meta?.output)}`);
  return performance.now() - started;
}

async function timeDirect(count: number): Promise<number> {
  const started = performance.now();
  let value = 0;
  for (let i = 0; i < count; i++) value = await addOne(value);
  return performance.now() - started;
}

const rate = (count: number, ms: number) => (count / ms) * 1000;
const line = (label: string, count: number, ms: number) => `  ${label.padEnd(34)}: ${count} activities in ${ms.toFixed(0)} ms = ${rate(count, ms).toFixed(0)} activities/s`;

/** Runs `work` on a fresh host (in memory, or on a temporary state directory), then stops it. */
async function withHost<T>(options: Partial<LocalHostOptions>, work: (host: LocalHost) => Promise<T>): Promise<T> {
  const host = await LocalHost.start({
    appEntry: path.join(__dirname, 'fixtures', 'bench-app'),
    port: 0,
    functionKey: 'bench',
    logger: createStreamLogger(() => undefined, { invocations: false, userLogs: false }),
    ...options,
  });
  try {
    await timeOrchestration(host, 'benchSequential', 20); // warm-up
    return await work(host);
  } finally {
    await host.stop();
  }
}

/** The same sequential and fan-out runs on a state directory, with or without waiting for the files after each commit. */
async function onDisk(durableWrites: boolean): Promise<{ seqMs: number; fanMs: number }> {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'bench-orchestration-'));
  try {
    return await withHost({ stateDir, durableWrites }, async (host) => ({
      seqMs: await timeOrchestration(host, 'benchSequential', SEQUENTIAL),
      fanMs: await timeOrchestration(host, 'benchFanOut', FAN_OUT),
    }));
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

/** Local orchestration throughput: activities/s sequential and fan-out, against direct calls, and the cost of durable writes. */
export async function run(): Promise<void> {
  const memory = await withHost({}, async (host) => ({
    seqMs: await timeOrchestration(host, 'benchSequential', SEQUENTIAL),
    longMs: await timeOrchestration(host, 'benchSequential', LONG_HISTORY),
    fanMs: await timeOrchestration(host, 'benchFanOut', FAN_OUT),
    wideMs: await timeOrchestration(host, 'benchFanOut', WIDE_FAN_OUT),
  }));
  const directSeqMs = await timeDirect(SEQUENTIAL);
  const directFanMs = await timeDirect(FAN_OUT);
  console.log('orchestration throughput (local host, in-memory Azurite, one instance)');
  console.log(`${line('sequential', SEQUENTIAL, memory.seqMs)} (target >= 200)`);
  console.log(line('sequential, 1,000-step history', LONG_HISTORY, memory.longMs));
  console.log(`${line('fan-out', FAN_OUT, memory.fanMs)} (target >= 1000)`);
  console.log(line('fan-out, 20,000 activities', WIDE_FAN_OUT, memory.wideMs));
  console.log(`  direct calls of the same activity: ${rate(SEQUENTIAL, directSeqMs).toFixed(0)} / ${rate(FAN_OUT, directFanMs).toFixed(0)} calls/s`);
  console.log(`  ratio orchestrated/direct: sequential ${(rate(SEQUENTIAL, memory.seqMs) / rate(SEQUENTIAL, directSeqMs)).toExponential(2)}, fan-out ${(rate(FAN_OUT, memory.fanMs) / rate(FAN_OUT, directFanMs)).toExponential(2)}`);

  const lazy = await onDisk(false);
  const durable = await onDisk(true);
  console.log('cost of durable writes (state directory; each commit waits for Azurite\'s files, vs Azurite\'s 5 s autosave)');
  console.log(line('sequential, autosave only', SEQUENTIAL, lazy.seqMs));
  console.log(line('sequential, durable writes', SEQUENTIAL, durable.seqMs));
  console.log(line('fan-out, autosave only', FAN_OUT, lazy.fanMs));
  console.log(line('fan-out, durable writes', FAN_OUT, durable.fanMs));
  console.log(`  ratio durable/autosave throughput: sequential ${(lazy.seqMs / durable.seqMs).toFixed(2)}, fan-out ${(lazy.fanMs / durable.fanMs).toFixed(2)}`);
}

if (require.main === module) void run();
