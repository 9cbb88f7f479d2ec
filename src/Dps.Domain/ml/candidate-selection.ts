import { Result, err, ok } from '../result';
import type { Task } from './task-decision';

/** How candidates are compared: one headline metric on the validation split and its direction. */
export interface SelectionRule {
  metric: string;
  higherIsBetter: boolean;
}

/** One candidate's validation metrics (headlineMetrics' names). */
export interface CandidateScore {
  /** e.g. "trial-3" or "linear-baseline". */
  id: string;
  kind: 'gbdt' | 'linear';
  metrics: Record<string, number>;
}

/** The selection's outcome: the winner, by how much, over whom, and the full ranking. */
export interface CandidateSelection {
  rule: SelectionRule;
  winner: CandidateScore;
  /** Best candidate of the other family (the baseline when a GBDT wins, the best GBDT when the baseline wins). */
  bestOtherKind?: CandidateScore;
  /** winner's metric minus bestOtherKind's, signed so positive means the winner is better; 0 with no other family. */
  margin: number;
  /** Best first. */
  ranking: CandidateScore[];
  /** One line for the run and the card, e.g. "linear-baseline won on validation auc 0.8650 vs 0.8410 (trial-2, gbdt), margin 0.0240". */
  summary: string;
}

/** The default comparison per task: AUC for binary (threshold-free ranking), log-loss for multiclass, RMSE for regression. */
export function selectionRuleFor(task: Task): SelectionRule {
  if (task === 'binary') return { metric: 'auc', higherIsBetter: true };
  return task === 'multiclass' ? { metric: 'logloss', higherIsBetter: false } : { metric: 'rmse', higherIsBetter: false };
}

/**
 * Picks the best candidate on the validation metric. Every GBDT trial and the linear baseline compete; the
 * baseline can win. Exact ties go to the linear baseline (simpler, cheaper to serve and explain), then to
 * the earlier candidate. Candidates without a finite value of the metric are left out of the ranking.
 */
export function selectCandidate(candidates: CandidateScore[], rule: SelectionRule): Result<CandidateSelection> {
  const usable = candidates.filter((c) => Number.isFinite(c.metrics[rule.metric]));
  if (usable.length === 0) return err(`no candidate has a finite validation ${rule.metric}`);
  const sign = rule.higherIsBetter ? 1 : -1;
  const ranking = usable
    .map((candidate, order) => ({ candidate, order }))
    .sort((a, b) => {
      const diff = sign * (b.candidate.metrics[rule.metric] - a.candidate.metrics[rule.metric]);
      if (diff !== 0) return diff;
      if (a.candidate.kind !== b.candidate.kind) return a.candidate.kind === 'linear' ? -1 : 1;
      return a.order - b.order;
    })
    .map(({ candidate }) => candidate);
  const winner = ranking[0];
  const bestOtherKind = ranking.find((c) => c.kind !== winner.kind);
  const value = (c: CandidateScore): number => c.metrics[rule.metric];
  const margin = bestOtherKind ? sign * (value(winner) - value(bestOtherKind)) : 0;
  const against = bestOtherKind ? ` vs ${value(bestOtherKind).toFixed(4)} (${bestOtherKind.id}, ${bestOtherKind.kind}), margin ${margin.toFixed(4)}` : '';
  return ok({
    rule,
    winner,
    ...(bestOtherKind ? { bestOtherKind } : {}),
    margin,
    ranking,
    summary: `${winner.id} (${winner.kind}) won on validation ${rule.metric} ${value(winner).toFixed(4)}${against}`,
  });
}
