import type { OrchestrationContext, Task } from 'durable-functions';
import { decideRetraining, describeTrigger } from '../../Dps.Domain/retraining/retraining-policy';
import { selectTrainingWindow } from '../../Dps.Domain/retraining/training-window';
import type { AppDependencies } from '../app-dependencies';
import type { AuditDraft } from '../audit/audit-output';
import type { LineageRun } from '../lineage/lineage-facts';
import { withLineage } from '../lineage/lineage-tracked';
import { RETRAINING_LINEAGE } from '../lineage/retraining-lineage';
import { call, callOrchestration, registerActivity, registerOrchestration } from '../shared/durable-calls';
import { START_ROLLOUT } from '../rollout/start-rollout.activity';
import { TRAIN_MODEL } from '../training/train-model.orchestration';
import { RETRAIN_FACTS, registerRetrainFacts } from './retrain-facts.activity';
import { RETRAIN_RECORD, retrainRecord } from './retrain-record.activity';
import { RETRAIN, RetrainInput } from './retrain-request';
import type { RetrainResult } from './retrain-run';

/** How often a waiting retrain checks again before it gives up (with the default 15 minutes: a day). */
const MAX_CHECKS = 96;

/**
 * `retrain-{model}`: audits the trigger, then decides (Domain's decideRetraining: a rollout running,
 * the cool-down, the minimum of new rows) on facts read fresh each time, waiting on a durable timer
 * when told to wait; on start it records the start, selects the training window (the latest silver
 * versions under the newest contract revision) and runs the training sub-orchestration on it, which
 * evaluates against the champion on the same rows and registers the challenger (the rollout takes it
 * from there). Every decision is an audit event.
 */
function* retrainOrchestrator(context: OrchestrationContext, input: RetrainInput, lineage: LineageRun): Generator<Task, RetrainResult, unknown> {
  const { model, trigger } = input;
  const now = () => context.df.currentUtcDateTime.toISOString();
  const run = now();
  const instanceId = context.df.instanceId;
  const who = trigger.kind === 'manual' ? trigger.by : 'dps-retrain';
  const result: RetrainResult = { model, trigger, decisions: [], outcome: 'skipped' };
  const audit = (step: string, draft: Omit<AuditDraft, 'id' | 'who' | 'when' | 'instanceId' | 'subjects'> & { subjects?: AuditDraft['subjects'] }): AuditDraft => ({
    id: `retrain-${model}-${run}-${step}`, who, when: now(), instanceId, subjects: { model }, ...draft,
  });
  yield* call(context, RETRAIN_RECORD, { audit: audit('trigger', { what: 'retrain.requested', outcome: trigger.kind, why: describeTrigger(trigger), details: { ...trigger } }) });
  for (let check = 0; ; check++) {
    const facts = yield* call(context, RETRAIN_FACTS, { model });
    const decision = facts.champion
      ? decideRetraining(trigger, { now: now(), lastStartedAt: facts.lastStartedAt, newRows: facts.newRows, retrainRunning: false, rolloutRunning: facts.rolloutRunning }, facts.policy)
      : { action: 'skip' as const, trigger, reason: `model '${model}' has no champion to retrain` };
    const gaveUp = decision.action === 'wait' && check + 1 >= MAX_CHECKS;
    const action = gaveUp ? 'skip' : decision.action;
    const reason = gaveUp ? `${decision.reason}; gave up after ${MAX_CHECKS} checks` : decision.reason;
    result.decisions.push({ action, reason, at: now() });
    context.df.setCustomStatus({ model, trigger: trigger.kind, decision: action, reason });
    const details = { newRows: facts.newRows, lastStartedAt: facts.lastStartedAt ?? null, rolloutRunning: facts.rolloutRunning, retryAt: decision.action === 'wait' ? decision.retryAt : null };
    yield* call(context, RETRAIN_RECORD, { audit: audit(`decision-${check}`, { what: 'retrain.decision', outcome: action, why: reason, details }) });
    if (action === 'skip') return result;
    if (decision.action === 'wait') {
      yield context.df.createTimer(new Date(decision.retryAt));
      continue;
    }
    const newest = facts.versions[facts.versions.length - 1];
    const sameContract = facts.versions.filter((v) => v.contractRevision === newest?.contractRevision);
    const window = selectTrainingWindow(sameContract, facts.window, now());
    if (!window.ok || !newest) {
      const why = window.ok ? 'the dataset has no silver version' : window.error;
      result.decisions.push({ action: 'skip', reason: why, at: now() });
      yield* call(context, RETRAIN_RECORD, { audit: audit('window', { what: 'retrain.decision', outcome: 'skip', why }) });
      return result;
    }
    result.window = window.value;
    const chosen = sameContract.filter((v) => window.value.versions.includes(v.version));
    const last = chosen[chosen.length - 1];
    yield* call(context, RETRAIN_RECORD, {
      started: { model, at: now(), run },
      audit: audit('started', {
        what: 'retrain.started', outcome: 'training',
        why: `${reason}; training on silver versions ${window.value.versions.join(', ')} (${window.value.rows} rows, contract revision ${last.contractRevision})`,
        details: { versions: window.value.versions, rows: window.value.rows, from: window.value.from, to: window.value.to },
      }),
    });
    // One id per run: the lineage names the run, and a later run with the same data registers its own version.
    const runId = `${instanceId}-${run.replace(/[^0-9]/g, '')}`;
    const trained = yield* callOrchestration(context, TRAIN_MODEL, {
      model, dataset: facts.champion!.dataset, datasetSha256: last.sha256, contractRevision: last.contractRevision, silver: last.silver,
      silverWindow: chosen.map((v) => v.silver), pipelineInstanceId: runId, lineageParent: lineage, submittedBy: who, ...facts.training,
    }, `${runId}-train`);
    if ('failed' in trained) {
      result.outcome = 'failed';
      result.error = trained.failed;
      yield* call(context, RETRAIN_RECORD, { audit: audit('failed', { what: 'retrain.completed', outcome: 'failed', why: trained.failed }) });
      return result;
    }
    result.outcome = 'trained';
    result.trained = trained;
    // The rollout slice takes a challenger from here (its START_ROLLOUT honours DPS_ROLLOUT_AUTO and refuses a second rollout).
    if (trained.alias === 'challenger') result.rollout = yield* call(context, START_ROLLOUT, { model, version: trained.version, requestedBy: who });
    yield* call(context, RETRAIN_RECORD, {
      audit: audit('completed', {
        what: 'retrain.completed', outcome: trained.alias, subjects: { model, version: String(trained.version) },
        why: `v${trained.version} trained on ${window.value.rows} rows of silver versions ${window.value.versions.join(', ')}, registered as ${trained.alias}`,
        details: { version: trained.version, metrics: trained.metrics, evaluation: trained.evaluation, rollout: result.rollout ? { ...result.rollout } : null },
      }),
    });
    return result;
  }
}

/** Registers the retraining orchestration and its activities. */
export function registerRetrain(deps: AppDependencies): void {
  registerOrchestration(RETRAIN, withLineage(RETRAINING_LINEAGE, retrainOrchestrator));
  registerRetrainFacts(deps);
  registerActivity(RETRAIN_RECORD, retrainRecord(deps));
}
