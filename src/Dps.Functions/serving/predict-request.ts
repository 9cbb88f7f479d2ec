import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { classIndex, countObservations, Observation, predictionsAgree, VersionCounters } from '../../Dps.Domain/rollout/rollout-counters';
import { PredictionResponse, ServedPrediction, predictionResponse, servedPrediction } from '../../Dps.Domain/serving/prediction-response';
import { PredictionTelemetry, telemetryEvents } from '../../Dps.Domain/serving/prediction-telemetry';
import { ScoringInputError, scoringInputError } from '../../Dps.Domain/serving/scoring-input-error';
import { parseScoringBody } from '../../Dps.Domain/serving/scoring-request';
import { checkScoringRows } from '../../Dps.Domain/serving/scoring-row-check';
import { AliasedVersion, Route, RoutingTable, routeRow, routingKey } from '../../Dps.Domain/serving/traffic-router';
import type { RecordedPrediction } from '../storage/predictions-store';
import type { CounterDelta } from '../rollout/rollout-counters.entity';
import type { LoadedModel } from './loaded-model';
import { blankMissingTokens } from './missing-tokens';
import { ScoredRows, scoreRows } from './row-scorer';
import type { ModelRoutes, ServingRuntime } from './serving-runtime';

/** One predict call as the HTTP trigger hands it over. */
export interface PredictInput {
  model: string;
  body: Uint8Array;
  contentType?: string;
  /** `?version=` and `?alias=` pins (raw query text). */
  version?: string;
  alias?: string;
  explain: boolean;
  /** The `x-dps-entity` header. */
  entityHeader?: string;
  requestId: string;
  at: string;
  piiSalt: string;
  /** A monotonic clock in ms, for latencies. */
  clock: () => number;
}

/** A refusal: the status and a body naming what is wrong; nothing was scored or recorded. */
export interface PredictRefusal {
  ok: false;
  status: 400 | 404 | 500;
  body: { error: string } & Partial<Omit<ScoringInputError, 'message'>>;
}

/** A scored request: the answer, one telemetry event per score, what feedback joins, and the rollout counters to add. */
export interface PredictSuccess {
  ok: true;
  body: PredictionResponse;
  telemetry: PredictionTelemetry[];
  recorded: RecordedPrediction[];
  delta?: CounterDelta;
}

const refuse = (status: PredictRefusal['status'], error: string, details?: ScoringInputError): PredictRefusal =>
  ({ ok: false, status, body: details ? { error: details.message, problems: details.problems, total: details.total } : { error } });

type Plan = { kind: 'pinned'; serve: AliasedVersion } | { kind: 'routed'; table: RoutingTable; champion: number };

function planOf(model: string, routes: ModelRoutes, input: PredictInput): Plan | PredictRefusal {
  if (input.version !== undefined && input.alias !== undefined) return refuse(400, 'send ?version= or ?alias=, not both');
  if (input.version !== undefined) {
    const n = Number(input.version);
    if (!/^\d+$/.test(input.version) || n < 1) return refuse(400, `?version must be a whole number >= 1, got '${input.version}'`);
    return { kind: 'pinned', serve: { alias: routes.aliases.find((a) => a.version === n)?.alias ?? 'pinned', version: n } };
  }
  if (input.alias !== undefined) {
    const named = routes.aliases.find((a) => a.alias === input.alias);
    if (!named) return refuse(404, `model '${model}' has no alias '${input.alias}' (it has ${routes.aliases.map((a) => a.alias).join(', ') || 'none'})`);
    return { kind: 'pinned', serve: { alias: named.alias, version: named.version } };
  }
  const champion = routes.aliases.find((a) => a.alias === 'champion');
  if (!champion) return refuse(404, `no model '${model}' (no version is registered as its champion)`);
  if (routes.rollout?.routing) return { kind: 'routed', table: routes.rollout.routing, champion: champion.version };
  return { kind: 'routed', table: { model, mode: 'canary', arms: [{ alias: 'champion', version: champion.version, weight: 100 }] }, champion: champion.version };
}

/** Rows to score: from the body, or from the online feature store for `{"entities":[...]}`. */
async function requestRows(runtime: ServingRuntime, primary: LoadedModel, input: PredictInput): Promise<{ rows: Record<string, unknown>[]; entities?: string[] } | PredictRefusal> {
  const parsed = parseScoringBody(input.body, input.contentType);
  if (!parsed.ok) return refuse(400, parsed.error.message, parsed.error);
  if (parsed.value.kind === 'rows') return { rows: parsed.value.rows };
  const ids = parsed.value.entities;
  const dataset = primary.version.lineage.dataset;
  const found = await runtime.features.read(dataset, ids);
  const missing = ids.map((id, row) => ({ id, row })).filter((_, i) => !found[i]);
  if (missing.length > 0) {
    const error = scoringInputError(missing.map((m) => ({ rule: 'entity' as const, row: m.row, message: `entity "${m.id}" has no features in the online store of dataset '${dataset}'` })).slice(0, 20), missing.length);
    return refuse(404, error.message, error);
  }
  // The store holds the entity's whole silver row; the model reads its schema's columns.
  const columns = new Set([...primary.schema.features.map((f) => f.name), ...primary.schema.passthrough.map((p) => p.name)]);
  const rows = found.map((f) => Object.fromEntries(Object.entries(f!.values).filter(([name]) => columns.has(name))));
  return { rows, entities: ids };
}

interface Group {
  version: number;
  alias: string;
  rows: number[];
  scored?: ScoredRows;
  ms: number;
  failed?: string;
}

/**
 * Scores a group's rows with its version. Multiclass scores become indexes in the champion's classes
 * (`champion`), so counters and feedback compare versions whose class lists differ.
 */
async function scoreGroup(input: PredictInput, group: Group, typed: Record<string, TypedValue>[], loaded: LoadedModel | undefined, champion: LoadedModel): Promise<void> {
  if (!loaded) {
    group.failed = `v${group.version} could not be loaded`;
    return;
  }
  const started = input.clock();
  const scored = scoreRows(loaded, group.rows.map((i) => typed[i]), input.explain);
  group.ms = input.clock() - started;
  if (!scored.ok) {
    group.failed = scored.error;
    return;
  }
  group.scored = scored.value;
  const classes = champion.pipeline.label.classes;
  if (loaded.pipeline.task === 'multiclass' && loaded !== champion && classes) group.scored.scores = scored.value.outcomes.map((o) => classIndex(classes, String(o.prediction)));
}

function groupBy(routes: Route[], pick: (r: Route) => AliasedVersion | undefined): Group[] {
  const groups = new Map<number, Group>();
  routes.forEach((route, i) => {
    const target = pick(route);
    if (!target) return;
    const group = groups.get(target.version) ?? { version: target.version, alias: target.alias, rows: [], ms: 0 };
    group.rows.push(i);
    groups.set(target.version, group);
  });
  return [...groups.values()];
}

/**
 * Answers one predict request: rows checked against every version that may score them (any problem
 * refuses the whole request), each row routed by its entity (or the request id), scored by its
 * version; a challenger that fails is counted as an error and its rows answered by the champion.
 */
export async function predict(runtime: ServingRuntime, input: PredictInput): Promise<PredictRefusal | PredictSuccess> {
  const { model } = input;
  const modelRoutes = await runtime.routes(model);
  const plan = planOf(model, modelRoutes, input);
  if ('ok' in plan) return plan;
  const versions = plan.kind === 'pinned' ? [plan.serve.version] : [plan.champion, ...plan.table.arms.filter((a) => a.weight > 0).map((a) => a.version), ...(plan.table.mirror ? [plan.table.mirror.version] : [])];
  const primaryVersion = plan.kind === 'pinned' ? plan.serve.version : plan.champion;
  const loaded = new Map<number, LoadedModel>();
  await Promise.all([...new Set(versions)].map(async (v) => {
    try {
      loaded.set(v, await runtime.model(model, v));
    } catch {
      // A version that cannot load scores nothing; for the champion or a pin that is answered below.
    }
  }));
  const primary = loaded.get(primaryVersion);
  if (!primary) return plan.kind === 'pinned' ? refuse(404, `no version ${primaryVersion} of model '${model}'`) : refuse(500, `the champion v${primaryVersion} of '${model}' could not be loaded`);

  const request = await requestRows(runtime, primary, input);
  if ('ok' in request) return request;
  const rows = blankMissingTokens(primary.missing, request.rows);
  const checked = checkScoringRows(primary.schema, rows, input.entityHeader);
  if (!checked.ok) return refuse(400, checked.error.message, checked.error);
  for (const other of loaded.values()) {
    if (other === primary || JSON.stringify(other.schema) === JSON.stringify(primary.schema)) continue;
    const again = checkScoringRows(other.schema, blankMissingTokens(other.missing, request.rows), input.entityHeader);
    if (!again.ok) return refuse(400, `v${other.version.version} (in this model's rollout) cannot score these rows: ${again.error.message}`, { ...again.error, message: `v${other.version.version}: ${again.error.message}` });
  }
  const typed = checked.value.rows;
  const entities = request.entities ?? checked.value.entities;

  const routes: Route[] = entities.map((entity) => (plan.kind === 'pinned' ? { serve: plan.serve } : routeRow(plan.table, routingKey(entity, input.requestId))));
  // A canary step with all traffic on the challenger still needs the champion's numbers on the same
  // window: the champion scores every row as a mirror (never returned).
  if (plan.kind === 'routed' && plan.table.mode === 'canary' && !plan.table.arms.some((a) => a.version === plan.champion && a.weight > 0)) {
    routes.forEach((route) => (route.shadow = { alias: 'champion', version: plan.champion }));
  }
  const started = input.clock();
  const served = groupBy(routes, (r) => r.serve);
  const mirrored = groupBy(routes, (r) => r.shadow);
  for (const group of [...served, ...mirrored]) await scoreGroup(input, group, typed, loaded.get(group.version), primary);
  // A failed challenger's rows are answered by the champion; the failure counts against the challenger.
  const failed = served.filter((g) => g.failed);
  if (failed.some((g) => g.version === primaryVersion)) return refuse(500, `${model}: ${failed.find((g) => g.version === primaryVersion)!.failed}`);
  if (failed.length > 0) {
    const fallback: Group = { version: primaryVersion, alias: 'champion', rows: failed.flatMap((g) => g.rows), ms: 0 };
    await scoreGroup(input, fallback, typed, primary, primary);
    if (fallback.failed) return refuse(500, `${model}: ${fallback.failed}`);
    served.push(fallback);
  }
  const latencyMs = input.clock() - started;

  const predictions: ServedPrediction[] = new Array(typed.length);
  const scores: number[] = new Array(typed.length);
  const servedBy: Group[] = new Array(typed.length);
  for (const group of served) {
    if (!group.scored) continue;
    group.rows.forEach((row, k) => {
      const s = group.scored!;
      predictions[row] = servedPrediction({ alias: group.alias, version: group.version }, s.outcomes[k], entities[row], s.contributions?.[k]);
      scores[row] = s.scores[k];
      servedBy[row] = group;
    });
  }
  const context = { model, requestId: input.requestId, at: input.at, latencyMs, piiSalt: input.piiSalt };
  const telemetry = telemetryEvents(context, primary.schema, typed, predictions);
  const recorded: RecordedPrediction[] = [];
  const window = plan.kind === 'routed' ? modelRoutes.rollout?.window : undefined;
  const record = (row: number, version: number, alias: string, score: number, shadow: boolean): void => {
    const p: RecordedPrediction = { requestId: input.requestId, row, version, alias, score, at: input.at };
    if (entities[row] !== undefined) p.entity = entities[row];
    if (shadow) p.shadow = true;
    if (window !== undefined) p.window = window;
    recorded.push(p);
  };
  predictions.forEach((p, row) => record(row, p.version, p.alias, scores[row], false));
  for (const group of mirrored) {
    if (!group.scored) continue;
    const shadowPredictions = group.rows.map((row, k) => servedPrediction({ alias: group.alias, version: group.version }, group.scored!.outcomes[k], entities[row]));
    telemetry.push(...telemetryEvents(context, primary.schema, typed, shadowPredictions, group.rows, true));
    group.rows.forEach((row, k) => record(row, group.version, group.alias, group.scored!.scores[k], true));
  }
  const body = predictionResponse(model, input.requestId, predictions);
  const delta = window !== undefined ? counterDelta(modelRoutes, window, primaryVersion, served, failed, mirrored, scores, servedBy) : undefined;
  return delta ? { ok: true, body, telemetry, recorded, delta } : { ok: true, body, telemetry, recorded };
}

/** This request's observations per version, counted for the rollout's current window. */
function counterDelta(routes: ModelRoutes, window: string, champion: number, served: Group[], failed: Group[], mirrored: Group[], scores: number[], servedBy: Group[]): CounterDelta | undefined {
  const spec = routes.rollout?.spec;
  if (!spec) return undefined;
  const observations = new Map<number, Observation[]>();
  // A row's latency is its share of its version's scoring time, so a batch's size or one pause does not
  // weigh on a version in proportion to how many rows it happened to get.
  const perRow = (group: Group): number => group.ms / Math.max(1, group.rows.length);
  const add = (version: number, o: Observation): void => {
    observations.set(version, [...(observations.get(version) ?? []), o]);
  };
  for (const group of served) group.rows.forEach((_, k) => group.scored && add(group.version, { kind: 'served', latencyMs: perRow(group), score: group.scored.scores[k] }));
  for (const group of failed) group.rows.forEach(() => add(group.version, { kind: 'served', latencyMs: perRow(group), error: true }));
  for (const group of mirrored) {
    if (!group.scored) continue;
    group.rows.forEach((row, k) => {
      const score = group.scored!.scores[k];
      add(group.version, { kind: 'served', latencyMs: perRow(group), score });
      const answered = servedBy[row];
      if (!answered || answered.version === group.version) return;
      // Agreement is the challenger's count, whichever of the two was mirrored.
      const mirroredChampion = group.version === champion;
      add(mirroredChampion ? answered.version : group.version, { kind: 'agreement', agreed: mirroredChampion ? predictionsAgree(spec, score, scores[row]) : predictionsAgree(spec, scores[row], score) });
    });
  }
  const counts: Record<string, VersionCounters> = {};
  for (const [version, list] of observations) counts[String(version)] = countObservations(list, spec);
  return { window, counts };
}
