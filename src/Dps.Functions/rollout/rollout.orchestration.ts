import type { OrchestrationContext, Task, TimerTask } from 'durable-functions';
import { RolloutAction, RolloutEvent, RolloutState, advanceRollout, startRollout } from '../../Dps.Domain/rollout/rollout-policy';
import { RolloutStatusBody, rolloutStatusBody } from '../../Dps.Domain/rollout/rollout-status';
import type { AppDependencies } from '../app-dependencies';
import { withLineage } from '../lineage/lineage-tracked';
import { ROLLOUT_LINEAGE } from '../lineage/rollout-lineage';
import { call, registerActivity, registerOrchestration } from '../shared/durable-calls';
import { PREPARE_ROLLOUT, prepareRollout } from './prepare-rollout.activity';
import { READ_COUNTERS, registerReadCounters } from './read-counters.activity';
import { RECORD_ROLLOUT, recordRollout } from './record-rollout.activity';
import { registerRolloutCounters } from './rollout-counters.entity';
import { ABORT_EVENT, APPROVE_EVENT, ROLLOUT, RolloutCommand, RolloutInput, counterWindow } from './rollout-run';
import { registerStartRollout } from './start-rollout.activity';
import { registerAbTest } from './ab-test.orchestration';

/** When to look again: at the end of the bake, else after the poll interval (and never past a hold's deadline). */
function nextLookMs(action: RolloutAction, nowMs: number, pollMs: number): number {
  if (action.kind === 'wait' && action.untilMs !== undefined) return Math.max(nowMs, action.untilMs);
  if (action.kind === 'hold') return Math.min(nowMs + pollMs, Math.max(nowMs, action.deadlineMs));
  return nowMs + pollMs;
}

/**
 * Runs the Domain's rollout state machine: each step bakes (a durable timer), then its window's
 * counters are judged; approve and abort are external events raced against the timer. Every state
 * change is persisted (the routing row serving reads) and audited; a host restart replays to the same
 * step with the same counters, which live in the counters entity.
 */
function* rolloutOrchestrator(context: OrchestrationContext, input: RolloutInput): Generator<Task, RolloutStatusBody, unknown> {
  const now = (): number => context.df.currentUtcDateTime.getTime();
  const run = String(now());
  const spec = yield* call(context, PREPARE_ROLLOUT, { model: input.model, champion: input.champion });
  let state: RolloutState = startRollout({ instanceId: context.df.instanceId, model: input.model, task: input.task, champion: input.champion, challenger: input.challenger, plan: input.plan, nowMs: now() });
  yield* call(context, RECORD_ROLLOUT, { run, state, spec, action: { kind: 'start', reason: state.reason }, who: input.requestedBy, audit: true });
  let action: RolloutAction = { kind: 'wait', reason: state.reason, untilMs: state.stepStartedMs + input.plan.bakeSeconds * 1000 };
  while (state.status === 'running') {
    const timer: TimerTask = context.df.createTimer(new Date(nextLookMs(action, now(), input.pollSeconds * 1000)));
    const approve = context.df.waitForExternalEvent(APPROVE_EVENT);
    const abort = context.df.waitForExternalEvent(ABORT_EVENT);
    const winner = (yield context.df.Task.any([timer, approve, abort])) as Task;
    let event: RolloutEvent;
    let who = 'rollout';
    if (winner === timer) {
      const counters = yield* call(context, READ_COUNTERS, { model: input.model, window: counterWindow(run, state.stepIndex), champion: state.champion, challenger: state.challenger, predictionEdges: spec.predictionEdges });
      event = { type: 'evaluate', nowMs: now(), champion: counters.champion, challenger: counters.challenger };
    } else {
      timer.cancel();
      const command = (winner.result ?? {}) as RolloutCommand;
      who = command.who || 'system';
      event = winner === approve ? { type: 'approve', nowMs: now(), who } : { type: 'abort', nowMs: now(), who, reason: command.reason };
    }
    const previousPhase = state.phase;
    const next = advanceRollout(state, event);
    state = next.state;
    action = next.action;
    if (action.kind === 'ignored') continue;
    // A repeated wait or hold refreshes the row (its reason, the gates) without a new audit event.
    const repeated = action.kind === 'wait' || (action.kind === 'hold' && previousPhase === 'holding');
    yield* call(context, RECORD_ROLLOUT, { run, state, spec, action, who, audit: !repeated });
  }
  return rolloutStatusBody(state);
}

/** Registers the rollout orchestration, its activities, the counters entity and the A/B test orchestration. */
export function registerRollout(deps: AppDependencies): void {
  registerOrchestration(ROLLOUT, withLineage(ROLLOUT_LINEAGE, rolloutOrchestrator));
  registerActivity(PREPARE_ROLLOUT, prepareRollout(deps));
  registerActivity(RECORD_ROLLOUT, recordRollout(deps));
  registerReadCounters();
  registerRolloutCounters();
  registerStartRollout(deps);
  registerAbTest(deps);
}
