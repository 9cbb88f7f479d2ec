import path from 'node:path';
import { LocalHost } from '../src/Dps.LocalHost/local-host';
import { createStreamLogger } from '../src/Dps.LocalHost/worker/host-logger';
import { addOne } from './fixtures/bench-app';

const SEQUENTIAL = 300;
const FAN_OUT = 2000;

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

/** Local orchestration throughput: activities/s sequential and fan-out, against direct calls. */
export async function run(): Promise<void> {
  const host = await LocalHost.start({
    appEntry: path.join(__dirname, 'fixtures', 'bench-app'),
    port: 0,
    functionKey: 'bench',
    logger: createStreamLogger(() => undefined, { invocations: false, userLogs: false }),
  });
  try {
    await timeOrchestration(host, 'benchSequential', 20); // warm-up
    const seqMs = await timeOrchestration(host, 'benchSequential', SEQUENTIAL);
    const fanMs = await timeOrchestration(host, 'benchFanOut', FAN_OUT);
    const directSeqMs = await timeDirect(SEQUENTIAL);
    const directFanMs = await timeDirect(FAN_OUT);
    const seqRate = rate(SEQUENTIAL, seqMs);
    const fanRate = rate(FAN_OUT, fanMs);
    console.log('orchestration throughput (local host, in-memory Azurite, one instance)');
    console.log(`  sequential: ${SEQUENTIAL} activities in ${seqMs.toFixed(0)} ms = ${seqRate.toFixed(0)} activities/s (target >= 200)`);
    console.log(`  fan-out   : ${FAN_OUT} activities in ${fanMs.toFixed(0)} ms = ${fanRate.toFixed(0)} activities/s (target >= 1000)`);
    console.log(`  direct calls of the same activity: ${rate(SEQUENTIAL, directSeqMs).toFixed(0)} / ${rate(FAN_OUT, directFanMs).toFixed(0)} calls/s`);
    console.log(`  ratio orchestrated/direct: sequential ${(seqRate / rate(SEQUENTIAL, directSeqMs)).toExponential(2)}, fan-out ${(fanRate / rate(FAN_OUT, directFanMs)).toExponential(2)}`);
  } finally {
    await host.stop();
  }
}

if (require.main === module) void run();
