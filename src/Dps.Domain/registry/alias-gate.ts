import type { Task } from '../ml/task-decision';
import type { AliasEvidence, ModelMetrics } from './model-version';

/** The metric a task is compared on, and whether higher is better (multiclass: log-loss, as candidate selection). */
export function primaryMetric(task: Task): { name: string; higherIsBetter: boolean } {
  if (task === 'multiclass') return { name: 'logloss', higherIsBetter: false };
  return task === 'binary' ? { name: 'auc', higherIsBetter: true } : { name: 'rmse', higherIsBetter: false };
}

/** What the gate knows when a new version arrives. */
export interface GateInput {
  model: string;
  version: number;
  task: Task;
  metrics: ModelMetrics;
  champion?: { version: number; metricsOnSameSet?: ModelMetrics };
  who: string;
  at: string;
}

/**
 * Decides which alias a newly registered version gets, with the evidence to store: the first version
 * of a model becomes champion; every later one becomes challenger (only the canary rollout promotes),
 * with its comparison to the champion on the same evaluation set when one could be made.
 */
export function gateNewVersion(input: GateInput): AliasEvidence & { alias: 'champion' | 'challenger' } {
  const { name, higherIsBetter } = primaryMetric(input.task);
  if (!input.champion) {
    return { model: input.model, alias: 'champion', version: input.version, metrics: input.metrics, who: input.who, at: input.at, why: `first version of '${input.model}' becomes champion` };
  }
  const candidate = input.metrics[name];
  const incumbent = input.champion.metricsOnSameSet?.[name];
  const comparison = incumbent === undefined
    ? undefined
    : { against: input.champion.version, metric: name, candidate, incumbent, sameEvaluationSet: true };
  let verdict: string;
  if (comparison === undefined) verdict = `the champion (v${input.champion.version}) could not be scored on this evaluation set`;
  else {
    const better = higherIsBetter ? comparison.candidate > comparison.incumbent : comparison.candidate < comparison.incumbent;
    verdict = `${name} ${comparison.candidate.toFixed(4)} ${better ? 'beats' : 'does not beat'} the champion's ${comparison.incumbent.toFixed(4)} on the same evaluation set`;
  }
  return {
    model: input.model, alias: 'challenger', version: input.version, metrics: input.metrics, comparison,
    who: input.who, at: input.at, why: `v${input.version} becomes challenger to v${input.champion.version}: ${verdict}; promotion is the canary rollout's decision`,
  };
}

/** What a finished rollout decided, with the metrics the registry recorded for both versions. */
export interface RolloutVerdict {
  model: string;
  status: 'promoted' | 'rolledBack';
  champion: { version: number; metrics: ModelMetrics };
  challenger: { version: number; metrics: ModelMetrics };
  who: string;
  at: string;
  /** The rollout's reason: the gates passed, or the gate that failed with its numbers. */
  why: string;
}

/**
 * The alias moves of a finished rollout. Promoted: the challenger becomes champion, the old champion
 * `previous`, and the challenger alias is marked promoted. Rolled back: the champion is untouched and
 * the challenger alias is marked rejected, so no new rollout picks it up by default.
 */
export function rolloutAliasEvidence(verdict: RolloutVerdict): AliasEvidence[] {
  const { model, champion, challenger, who, at, why } = verdict;
  if (verdict.status === 'rolledBack') {
    return [{ model, alias: 'challenger', version: challenger.version, metrics: challenger.metrics, status: 'rejected', who, at, why: `v${challenger.version} rejected by its canary rollout: ${why}` }];
  }
  return [
    { model, alias: 'champion', version: challenger.version, metrics: challenger.metrics, who, at, why: `v${challenger.version} becomes champion after its canary rollout: ${why}` },
    { model, alias: 'previous', version: champion.version, metrics: champion.metrics, who, at, why: `v${champion.version} was champion until v${challenger.version} was promoted` },
    { model, alias: 'challenger', version: challenger.version, metrics: challenger.metrics, status: 'promoted', who, at, why: `v${challenger.version} promoted to champion` },
  ];
}
