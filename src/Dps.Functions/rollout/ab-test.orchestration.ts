import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { AbTestAction, AbTestEvent, AbTestState, abTestStatusBody, advanceAbTest, startAbTest } from '../../Dps.Domain/rollout/ab-test-state';
import type { AppDependencies } from '../app-dependencies';
import { call, registerActivity, registerOrchestration } from '../shared/durable-calls';
import { AB_TEST_LINEAGE } from '../lineage/ab-test-lineage';
import { withLineage } from '../lineage/lineage-tracked';
import { AB_TEST, AbTestInput } from './ab-test-run';
import { PREPARE_ROLLOUT } from './prepare-rollout.activity';
import { READ_ARM_COUNTERS, registerReadArmCounters } from './read-arm-counters.activity';
import { RECORD_AB_TEST, recordAbTest } from './record-ab-test.activity';
import { ABORT_EVENT, RolloutCommand, counterWindow } from './rollout-run';

/** When to look again: at the end of the split (or of the label wait), never later than one poll from now. */
function nextLookMs(action: AbTestAction, nowMs: number, pollMs: number): number {
  const until = action.kind === 'wait' || action.kind === 'awaitLabels' ? action.untilMs : nowMs + pollMs;
  return Math.max(nowMs, Math.min(until, nowMs + pollMs));
}

/**
 * Runs an A/B test: the split serves for its duration while the counters entity counts each arm (one
 * window for the whole test); each look runs the Domain analysis, and after the duration (and the wait
 * for labels) the verdict ends it, promoting a significant winner only with `promote: auto`. Abort is
 * an external event raced against the timer. Every decision is persisted and audited.
 */
function* abTestOrchestrator(context: OrchestrationContext, input: AbTestInput): Generator<Task, Record<string, unknown>, unknown> {
  const now = (): number => context.df.currentUtcDateTime.getTime();
  const run = String(now());
  const spec = yield* call(context, PREPARE_ROLLOUT, { model: input.model, champion: input.champion });
  let state: AbTestState = startAbTest({ instanceId: context.df.instanceId, model: input.model, task: input.task, plan: input.plan, champion: input.champion, aliases: input.aliases, nowMs: now() });
  yield* call(context, RECORD_AB_TEST, { run, state, spec, action: { kind: 'start', reason: state.reason }, who: input.requestedBy, audit: true });
  let action: AbTestAction = { kind: 'wait', untilMs: state.startedMs + input.plan.durationSeconds * 1000 };
  const versions = input.plan.arms.map((a) => a.version);
  while (state.status === 'running') {
    const timer: TimerTask = context.df.createTimer(new Date(nextLookMs(action, now(), input.pollSeconds * 1000)));
    const abort = context.df.waitForExternalEvent(ABORT_EVENT);
    const winner = (yield context.df.Task.any([timer, abort])) as Task;
    let event: AbTestEvent;
    let who = 'rollout';
    if (winner === timer) {
      const counters = yield* call(context, READ_ARM_COUNTERS, { model: input.model, window: counterWindow(run, 0), versions, predictionEdges: spec.predictionEdges });
      event = { type: 'evaluate', nowMs: now(), counters };
    } else {
      timer.cancel();
      const command = (winner.result ?? {}) as RolloutCommand;
      who = command.who || 'system';
      event = { type: 'abort', nowMs: now(), who, reason: command.reason };
    }
    const previous = action.kind;
    const next = advanceAbTest(state, event);
    state = next.state;
    action = next.action;
    if (action.kind === 'ignored') continue;
    // Looks while the split runs (or keeps waiting for labels) refresh the row without a new audit event.
    const repeated = action.kind === 'wait' || (action.kind === 'awaitLabels' && previous === 'awaitLabels');
    yield* call(context, RECORD_AB_TEST, { run, state, spec, action, who, audit: !repeated });
  }
  return abTestStatusBody(state) as unknown as Record<string, unknown>;
}

/** Registers the A/B test orchestration and its activities (the score spec activity is the rollout's). */
export function registerAbTest(deps: AppDependencies): void {
  registerOrchestration(AB_TEST, withLineage(AB_TEST_LINEAGE, abTestOrchestrator));
  registerActivity(RECORD_AB_TEST, recordAbTest(deps));
  registerReadArmCounters();
}
