import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { LineageEventType } from '../../Dps.Domain/lineage/run-event';
import { lineageRunKey } from '../../Dps.Domain/lineage/run-id';
import type { AppDependencies } from '../app-dependencies';
import { call, Orchestrator, registerActivity } from '../shared/durable-calls';
import { EMIT_LINEAGE, emitLineage } from './emit-lineage.activity';
import type { LineageDescriber, LineageRun, LineageRunFacts } from './lineage-facts';

/** An orchestrator that is told its lineage run (to name it as the parent of the runs it starts). */
export type TrackedOrchestrator<I, O> = (context: OrchestrationContext, input: I, lineage: LineageRun) => Generator<Task, O, unknown>;

// A storage hiccup writing the event is retried; after that the run goes on without it.
const EMIT_RETRY = new df.RetryOptions(1000, 3);

/** Emits one event through the activity; lineage is best-effort, so a failure (logged by the activity) never fails the run. */
function* emit<I, O>(context: OrchestrationContext, describer: LineageDescriber<I, O>, run: LineageRun, eventType: LineageEventType, facts: LineageRunFacts): Generator<Task, void, unknown> {
  try {
    yield* call(context, EMIT_LINEAGE, { eventType, eventTime: context.df.currentUtcDateTime.toISOString(), run, jobType: describer.jobType, sourcePath: describer.sourcePath, facts }, EMIT_RETRY);
  } catch {
    // The activity logged why; the run's own outcome does not depend on its lineage.
  }
}

/**
 * Wraps an orchestrator so that its run emits OpenLineage events from activities: START before its
 * first step, then COMPLETE, FAIL or ABORT as the describer reads its output, or FAIL (and the error
 * rethrown) when it throws. The run key is the instance id and the orchestration's start time, so a
 * replay, and START and its end, agree on the run id.
 */
export function withLineage<I, O>(describer: LineageDescriber<I, O>, orchestrator: TrackedOrchestrator<I, O>): Orchestrator<I, O> {
  return function* (context, input) {
    const instanceId = context.df.instanceId;
    const run: LineageRun = { job: describer.job, instanceId, key: lineageRunKey(instanceId, context.df.currentUtcDateTime.toISOString()) };
    yield* emit(context, describer, run, 'START', describer.start(input));
    let output: O;
    try {
      output = yield* orchestrator(context, input, run);
    } catch (error) {
      yield* emit(context, describer, run, 'FAIL', { ...describer.start(input), end: { eventType: 'FAIL', status: 'failed', reason: (error as Error).message } });
      throw error;
    }
    const end = describer.end(input, output);
    yield* emit(context, describer, run, end.end.eventType, end);
    return output;
  };
}

/** Registers the activity every tracked orchestration emits its events through. */
export function registerLineage(deps: AppDependencies): void {
  registerActivity(EMIT_LINEAGE, emitLineage(deps));
}
