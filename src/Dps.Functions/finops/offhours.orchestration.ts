import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { ActionResult, RunRef } from '../../Dps.Domain/finops/run-records';
import type { AppDependencies } from '../app-dependencies';
import { call, orchestration, registerActivity, registerOrchestration, resultOf, schedule, TypedTask } from '../shared/durable-calls';
import { FINOPS_ACT, finopsAct } from './finops-act.activity';
import { FINOPS_PLAN, finopsPlan } from './finops-plan.activity';
import { FINOPS_RECORD, finopsRecord, RunSummary } from './finops-record.activity';
import { finopsServices } from './finops-services';
import { FINOPS_WARN, finopsWarn } from './finops-warn.activity';
import type { OffHoursRunInput } from './run-input';

/** The off-hours orchestration: plan, warn, wait out the grace period, act in waves, record. */
export const FINOPS_OFFHOURS = orchestration<OffHoursRunInput, RunSummary>('finopsOffHours');

// Three attempts 1 s and 2 s apart: a transient ARM error passes, a broken resource does not hold the run up.
const ACT_RETRY = new df.RetryOptions(1000, 3);
ACT_RETRY.backoffCoefficient = 2;

function byWave(decisions: OffHoursDecision[]): OffHoursDecision[][] {
  const waves = [...new Set(decisions.map((d) => d.wave))].sort((a, b) => a - b);
  return waves.map((wave) => decisions.filter((d) => d.wave === wave));
}

function failed(decision: OffHoursDecision, error: unknown): ActionResult {
  const message = error instanceof Error ? error.message : String(error);
  return { id: decision.id, type: decision.type, action: decision.action, wave: decision.wave, outcome: 'failed', reason: decision.reason, error: message.split('\n')[0].trim() };
}

/**
 * Waits for every task of a wave. Task.all fails as soon as one task fails (after its retries), so
 * the tasks still running are then awaited one by one: one failing resource never stops the others.
 */
function* settle(context: OrchestrationContext, tasks: TypedTask<ActionResult>[], wave: OffHoursDecision[]): Generator<Task, ActionResult[], unknown> {
  try {
    yield context.df.Task.all(tasks);
  } catch {
    // a resource failed: every task's own outcome is read below
  }
  const results: ActionResult[] = [];
  for (const [i, task] of tasks.entries()) {
    if (!task.isCompleted && !task.isFaulted) {
      try {
        yield task;
      } catch {
        // read below
      }
    }
    results.push(task.isCompleted ? resultOf(task) : failed(wave[i], task.result));
  }
  return results;
}

function* offHours(context: OrchestrationContext, input: OffHoursRunInput): Generator<Task, RunSummary, unknown> {
  const run: RunRef = { runId: context.df.instanceId, at: input.at, dryRun: input.dryRun, trigger: input.trigger, requestedBy: input.requestedBy };
  const now = () => context.df.currentUtcDateTime.toISOString();
  const plan = yield* call(context, FINOPS_PLAN, run);
  const acting = plan.status === 'planned' && !run.dryRun ? plan.actions.filter((d) => d.action === 'stop' || d.action === 'start') : [];
  const stops = acting.filter((d) => d.action === 'stop');
  if (stops.length > 0 && input.graceMinutes > 0) {
    const stopsAt = new Date(context.df.currentUtcDateTime.getTime() + input.graceMinutes * 60_000);
    yield* call(context, FINOPS_WARN, { run, stops, stopsAt: stopsAt.toISOString(), when: now() });
    yield context.df.createTimer(stopsAt);
  }
  const results: ActionResult[] = [];
  // A planned run always has its window start; acting is empty otherwise.
  const since = plan.since ?? run.at;
  for (const wave of byWave(acting)) {
    const when = now();
    const tasks = wave.map((decision) => schedule(context, FINOPS_ACT, { run, since, decision, when }, ACT_RETRY));
    results.push(...(yield* settle(context, tasks, wave)));
  }
  return yield* call(context, FINOPS_RECORD, { run, plan, results, when: now() });
}

/**
 * Registers the `finopsOffHours` orchestration and its activities. Dry runs plan and record only:
 * no warning, no tag, no state change, and the evaluation cursor stays where it was.
 */
export function registerFinopsOffHours(deps: AppDependencies): void {
  const services = finopsServices(deps);
  registerOrchestration(FINOPS_OFFHOURS, offHours);
  registerActivity(FINOPS_PLAN, finopsPlan(services));
  registerActivity(FINOPS_WARN, finopsWarn(services));
  registerActivity(FINOPS_ACT, finopsAct(services));
  registerActivity(FINOPS_RECORD, finopsRecord(services, deps.metrics));
}
