import type { OrchestrationContext } from 'durable-functions';
import { describe, expect, it } from 'vitest';
import { lineageRunKey } from '../../src/Dps.Domain/lineage/run-id';
import type { EmitLineageInput } from '../../src/Dps.Functions/lineage/emit-lineage.activity';
import type { LineageDescriber } from '../../src/Dps.Functions/lineage/lineage-facts';
import { withLineage } from '../../src/Dps.Functions/lineage/lineage-tracked';
import { activity, call } from '../../src/Dps.Functions/shared/durable-calls';

/**
 * The wrapper driven as the Durable framework drives an orchestrator: each yielded task is answered
 * (or failed) by the test, and the activities it scheduled are recorded, so the order of the lineage
 * events around the orchestrator's own steps is visible without a host.
 */
const WORK = activity<number, number>('work');

const DESCRIBER: LineageDescriber<number, number> = {
  job: 'pipeline', jobType: 'PIPELINE', sourcePath: 'x.ts',
  start: (input) => ({ inputs: [{ blob: { container: 'bronze', name: `in-${input}` } }], outputs: [] }),
  end: (_input, output) => ({ inputs: [], outputs: [{ blob: { container: 'silver', name: `out-${output}` } }], end: { eventType: 'COMPLETE', status: 'accepted' } }),
};

function* work(context: OrchestrationContext, input: number): Generator<any, number, unknown> {
  return (yield* call(context, WORK, input)) * 2;
}

/** A context whose clock moves one second per task scheduled, recording each scheduled activity. */
function durableContext() {
  const scheduled: Array<{ name: string; input: unknown }> = [];
  const start = Date.parse('2026-11-30T01:00:00.000Z');
  const schedule = (name: string, input: unknown) => {
    scheduled.push({ name, input });
    return { name };
  };
  const context = {
    df: {
      instanceId: 'pipeline-x-0123456789ab',
      get currentUtcDateTime() { return new Date(start + scheduled.length * 1000); },
      callActivity: schedule,
      callActivityWithRetry: (name: string, _retry: unknown, input: unknown) => schedule(name, input),
    },
  } as unknown as OrchestrationContext;
  const events = () => scheduled.filter((s) => s.name === 'lineageEmit').map((s) => s.input as EmitLineageInput);
  return { context, scheduled, events };
}

describe('withLineage', () => {
  it('emits START before the first step and COMPLETE after the last, under one run key', () => {
    const { context, scheduled, events } = durableContext();
    const run = withLineage(DESCRIBER, work)(context, 21);
    run.next();
    expect(scheduled.map((s) => s.name)).toEqual(['lineageEmit']);
    run.next();
    expect(scheduled.map((s) => s.name)).toEqual(['lineageEmit', 'work']);
    run.next(21);
    const done = run.next();
    expect(done).toEqual({ done: true, value: 42 });
    const [start, end] = events();
    const key = lineageRunKey('pipeline-x-0123456789ab', '2026-11-30T01:00:00.000Z');
    expect(start).toMatchObject({ eventType: 'START', eventTime: '2026-11-30T01:00:00.000Z', run: { job: 'pipeline', key }, facts: { inputs: [{ blob: { name: 'in-21' } }] } });
    expect(end).toMatchObject({ eventType: 'COMPLETE', eventTime: '2026-11-30T01:00:02.000Z', run: { key }, facts: { outputs: [{ blob: { name: 'out-42' } }] } });
  });

  it('emits FAIL with the error when the orchestrator throws, then fails as before', () => {
    const { context, events } = durableContext();
    const run = withLineage(DESCRIBER, work)(context, 1);
    run.next();
    run.next();
    run.throw(new Error('validation storage unavailable'));
    expect(events().map((e) => e.eventType)).toEqual(['START', 'FAIL']);
    expect(events()[1].facts).toMatchObject({ inputs: [{ blob: { name: 'in-1' } }], end: { eventType: 'FAIL', status: 'failed', reason: 'validation storage unavailable' } });
    expect(() => run.next()).toThrow('validation storage unavailable');
  });

  it('goes on with the run when an event cannot be emitted', () => {
    const { context, scheduled } = durableContext();
    const run = withLineage(DESCRIBER, work)(context, 3);
    run.next();
    run.throw(new Error('lineage container unavailable'));
    expect(scheduled.at(-1)?.name).toBe('work');
    run.next(3);
    expect(run.throw(new Error('lineage container unavailable'))).toEqual({ done: true, value: 6 });
  });
});
