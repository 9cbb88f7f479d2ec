import { InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext, OrchestrationHandler, Task } from 'durable-functions';
import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import type { AppDependencies } from '../app-dependencies';
import { plannedRunRecord, runResults, type ActionResult, type PlannedRun, type RunRef } from '../../Dps.Domain/finops/run-records';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { actOnResource } from './act-on-resource';
import { actionAudit, runAudit, warningAudit } from './finops-audit';
import { finopsServices } from './finops-services';
import { planRun } from './plan-run';
import type { OffHoursRunInput } from './run-input';

/** The off-hours orchestration: plan, warn, wait out the grace period, act in waves, record. */
export const FINOPS_OFFHOURS = 'finopsOffHours';
const PLAN = 'finopsPlan';
const WARN = 'finopsWarn';
const ACT = 'finopsAct';
const RECORD = 'finopsRecord';

interface WarnInput { run: RunRef; stops: OffHoursDecision[]; stopsAt: string; when: string }
interface ActInput { run: RunRef; since: string; decision: OffHoursDecision; when: string }
interface RecordInput { run: RunRef; plan: PlannedRun; results: ActionResult[]; when: string }

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
function* settle(context: OrchestrationContext, tasks: Task[], wave: OffHoursDecision[]): Generator<Task, ActionResult[], unknown> {
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
    results.push(task.isCompleted ? (task.result as ActionResult) : failed(wave[i], task.result));
  }
  return results;
}

const offHours: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput() as OffHoursRunInput;
  const run: RunRef = { runId: context.df.instanceId, at: input.at, dryRun: input.dryRun, trigger: input.trigger, requestedBy: input.requestedBy };
  const now = () => context.df.currentUtcDateTime.toISOString();
  const plan = (yield context.df.callActivity(PLAN, run)) as PlannedRun;
  const acting = plan.status === 'planned' && !run.dryRun ? plan.actions.filter((d) => d.action === 'stop' || d.action === 'start') : [];
  const stops = acting.filter((d) => d.action === 'stop');
  if (stops.length > 0 && input.graceMinutes > 0) {
    const stopsAt = new Date(context.df.currentUtcDateTime.getTime() + input.graceMinutes * 60_000);
    yield context.df.callActivity(WARN, { run, stops, stopsAt: stopsAt.toISOString(), when: now() } satisfies WarnInput);
    yield context.df.createTimer(stopsAt);
  }
  const results: ActionResult[] = [];
  for (const wave of byWave(acting)) {
    const when = now();
    const tasks = wave.map((decision) => context.df.callActivityWithRetry(ACT, ACT_RETRY, { run, since: plan.since as string, decision, when } satisfies ActInput));
    results.push(...(yield* settle(context, tasks, wave)));
  }
  return yield context.df.callActivity(RECORD, { run, plan, results, when: now() } satisfies RecordInput);
};

/**
 * Registers the `finopsOffHours` orchestration and its activities. Dry runs plan and record only:
 * no warning, no tag, no state change, and the evaluation cursor stays where it was.
 */
export function registerFinopsOffHours(deps: AppDependencies): void {
  const services = finopsServices(deps);
  df.app.orchestration(FINOPS_OFFHOURS, offHours);

  df.app.activity(PLAN, {
    handler: async (run: RunRef): Promise<PlannedRun> => {
      const { store, inventory, defaults } = await services();
      const plan = await planRun(run.at, store, inventory, defaults);
      await store.saveRun(plannedRunRecord(run, plan));
      return plan;
    },
  });

  df.app.activity(WARN, {
    extraOutputs: [auditOutput],
    handler: async ({ run, stops, stopsAt, when }: WarnInput, context: InvocationContext): Promise<void> => {
      const { store } = await services();
      await store.saveWarnings(stops.map((d) => ({ runId: run.runId, at: run.at, id: d.id, type: d.type, reason: d.reason, stopsAt, warnedAt: when })));
      for (const decision of stops) emitAudit(context, warningAudit(run, decision, stopsAt, when));
    },
  });

  df.app.activity(ACT, {
    extraOutputs: [auditOutput],
    handler: async ({ run, since, decision, when }: ActInput, context: InvocationContext): Promise<ActionResult> => {
      const { inventory, defaults } = await services();
      const result = await actOnResource(decision, { since, at: run.at }, inventory, defaults);
      emitAudit(context, actionAudit(run, result, when));
      return result;
    },
  });

  df.app.activity(RECORD, {
    extraOutputs: [auditOutput],
    handler: async ({ run, plan, results, when }: RecordInput, context: InvocationContext) => {
      const { store } = await services();
      const { record, actions } = runResults(run, plan, results, new Date().toISOString());
      await store.saveActions(actions);
      await store.saveRun(record);
      if (!run.dryRun && plan.status === 'planned') await store.advanceCursor(run.at);
      // Done actions were audited as they happened; failures and dry-run decisions are audited here.
      for (const action of actions.filter((a) => a.outcome === 'failed' || a.outcome === 'dry-run')) emitAudit(context, actionAudit(run, action, when));
      emitAudit(context, runAudit(run, record, when));
      return { status: record.status, outcomes: record.outcomes, savings: record.savings };
    },
  });
}
