import { parseBoolean } from '../../Dps.Domain/data/value-parsing';
import { countObservations } from '../../Dps.Domain/rollout/rollout-counters';
import { FeedbackLabel, joinFeedback, parseFeedback, UnmatchedLabel } from '../../Dps.Domain/serving/feedback';
import type { CounterDelta } from '../rollout/rollout-counters.entity';
import type { RecordedPrediction } from '../storage/predictions-store';
import type { ServingRuntime } from './serving-runtime';

/** What a feedback call did: labels joined to scores, newly counted, and those that found nothing, with why. */
export interface FeedbackAnswer {
  model: string;
  received: number;
  matched: number;
  counted: number;
  unmatched: UnmatchedLabel[];
}

export type FeedbackResult =
  | { ok: false; status: 400 | 404; body: { error: string; field?: string } }
  | { ok: true; body: FeedbackAnswer; deltas: CounterDelta[] };

function asBooleanText(label: string | number | boolean): string | number | boolean {
  const parsed = typeof label === 'boolean' ? label : parseBoolean(String(label).trim());
  return parsed === undefined ? label : String(parsed);
}

/**
 * Joins delayed labels to stored scores (by request id and row, or by entity to its latest served
 * row), records them once (a repeated label is matched but not counted again) and returns the
 * counter deltas of labelled outcomes per rollout window.
 */
export async function receiveFeedback(runtime: ServingRuntime, model: string, body: unknown): Promise<FeedbackResult> {
  const parsed = parseFeedback(body);
  if (!parsed.ok) return { ok: false, status: 400, body: { error: `${parsed.error.field}: ${parsed.error.message}`, field: parsed.error.field } };
  const routes = await runtime.routes(model);
  const champion = routes.aliases.find((a) => a.alias === 'champion');
  if (!champion) return { ok: false, status: 404, body: { error: `no model '${model}' (no version is registered as its champion)` } };
  const loaded = await runtime.model(model, champion.version);
  // A yes/no label the model reads as boolean is compared as true/false, as training read it.
  const booleanLabel = loaded.classes?.positive === 'true' || loaded.classes?.positive === 'false';
  const labels: FeedbackLabel[] = booleanLabel ? parsed.value.map((l) => ({ ...l, label: asBooleanText(l.label) })) : parsed.value;
  const latest = await runtime.predictions.latestOfEntities(model, labels.flatMap((l) => (l.kind === 'entity' ? [l.entity] : [])));
  const requestIds = [...labels.flatMap((l) => (l.kind === 'row' ? [l.requestId] : [])), ...[...latest.values()].map((r) => r.requestId)];
  const stored = await runtime.predictions.ofRequests(model, requestIds);
  const positive = loaded.pipeline.label.positiveClass ?? loaded.classes?.positive ?? '1';
  const joined = joinFeedback(labels, stored, loaded.pipeline.task, { positiveClass: positive, classes: loaded.pipeline.label.classes });
  const fresh = await runtime.predictions.recordOutcomes(model, joined.outcomes);
  const answer: FeedbackAnswer = { model, received: labels.length, matched: labels.length - joined.unmatched.length, counted: fresh.length, unmatched: joined.unmatched };
  const spec = routes.rollout?.spec;
  if (!spec) return { ok: true, body: answer, deltas: [] };
  const windowOf = new Map(stored.map((p: RecordedPrediction) => [`${p.requestId}|${p.row}|${p.version}`, p.window]));
  const byWindow = new Map<string, Map<number, { score: number; label: number }[]>>();
  for (const o of fresh) {
    const window = windowOf.get(`${o.requestId}|${o.row}|${o.version}`);
    if (window === undefined) continue;
    const versions = byWindow.get(window) ?? new Map<number, { score: number; label: number }[]>();
    versions.set(o.version, [...(versions.get(o.version) ?? []), { score: o.score, label: o.label }]);
    byWindow.set(window, versions);
  }
  const deltas: CounterDelta[] = [...byWindow].map(([window, versions]) => ({
    window,
    counts: Object.fromEntries([...versions].map(([version, list]) => [String(version), countObservations(list.map((l) => ({ kind: 'outcome' as const, ...l })), spec)])),
  }));
  return { ok: true, body: answer, deltas };
}
