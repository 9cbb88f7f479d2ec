import type { AliasEvidence } from '../../Dps.Domain/registry/model-version';
import type { ServingDependencies } from './serving-dependencies';
import { FeaturesStore } from '../storage/features-store';
import { PredictionsStore } from '../storage/predictions-store';
import { RolloutRecord, RolloutsStore } from '../storage/rollouts-store';
import { ArtifactCache } from './artifact-cache';
import { TelemetryBuffer } from './telemetry-buffer';
import { LoadedModel, loadModel } from './loaded-model';

/** What serving needs to know about a model right now: its aliases and its running rollout, if any. */
export interface ModelRoutes {
  aliases: AliasEvidence[];
  rollout?: RolloutRecord;
}

interface Cached {
  routes: Promise<ModelRoutes>;
  expiresMs: number;
}

/**
 * One serving instance's state: loaded artifacts (LRU, one load per version), each model's aliases and
 * rollout row (re-read after `routingCacheSeconds`, so an alias move or a traffic step shows on every
 * instance within seconds), the stores predict and feedback write, and the telemetry buffer.
 */
export class ServingRuntime {
  readonly rollouts: RolloutsStore;
  readonly predictions: PredictionsStore;
  readonly features: FeaturesStore;
  readonly artifacts: ArtifactCache<LoadedModel>;
  /** Prediction telemetry waiting to be sent in a larger batch. */
  readonly telemetry = new TelemetryBuffer();
  private readonly routesCache = new Map<string, Cached>();

  constructor(private readonly deps: ServingDependencies) {
    const { tables } = deps.settings;
    this.rollouts = new RolloutsStore(() => deps.storage().table(tables.rollouts));
    this.predictions = new PredictionsStore(() => deps.storage().table(tables.feedback));
    this.features = new FeaturesStore(() => deps.storage().table(tables.features));
    this.artifacts = new ArtifactCache(deps.settings.serving.artifactCacheSize, (key) => this.load(key));
  }

  /** The model's aliases and running rollout, at most `routingCacheSeconds` old. */
  routes(model: string, nowMs = Date.now()): Promise<ModelRoutes> {
    const cached = this.routesCache.get(model);
    if (cached && cached.expiresMs > nowMs) return cached.routes;
    const routes = Promise.all([this.deps.registry().aliasesOf(model), this.rollouts.get(model)])
      .then(([aliases, rollout]): ModelRoutes => (rollout?.routing ? { aliases, rollout } : { aliases }));
    routes.catch(() => this.routesCache.delete(model));
    this.routesCache.set(model, { routes, expiresMs: nowMs + this.deps.settings.serving.routingCacheSeconds * 1000 });
    return routes;
  }

  /** A version loaded for scoring (cached per instance). */
  model(model: string, version: number): Promise<LoadedModel> {
    return this.artifacts.get(`${model}@${version}`);
  }

  private async load(key: string): Promise<LoadedModel> {
    const at = key.lastIndexOf('@');
    const model = key.slice(0, at);
    const number = Number(key.slice(at + 1));
    const version = await this.deps.registry().version(model, number);
    if (!version) throw new Error(`no version ${number} of model '${model}'`);
    return loadModel(this.deps, version);
  }
}
