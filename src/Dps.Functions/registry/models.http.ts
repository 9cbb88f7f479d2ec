import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { renderModelCard, CardExtras, CardImportance } from '../../Dps.Domain/registry/model-card';
import { getBlob } from '../storage/blob-io';
import type { DatasetProfile } from '../../Dps.Domain/data/dataset-profile';
import type { AppDependencies } from '../app-dependencies';
import { evaluationBlob, profileBlob } from '../storage/blob-layout';
import { profileSummary } from './profile-summary';
import { badRequest, notFound } from '../shared/http-responses';

/** Registers `GET /api/models/{model}` and `GET /api/models/{model}/versions/{v}/card`. */
export function registerModels(deps: AppDependencies): void {
  app.http('getModel', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const model = request.params.model;
      const registry = deps.registry();
      const [versions, aliases] = await Promise.all([registry.versions(model), registry.aliasesOf(model)]);
      if (versions.length === 0) return notFound(`no model '${model}'`);
      return {
        status: 200,
        jsonBody: {
          model,
          aliases: Object.fromEntries(aliases.map((a) => [a.alias, { version: a.version, why: a.why, who: a.who, at: a.at, comparison: a.comparison ?? null, ...(a.status ? { status: a.status } : {}) }])),
          versions: versions.map((v) => ({
            version: v.version, task: v.task, algorithm: v.algorithm, metrics: v.metrics, baseline: v.baseline, createdAt: v.createdAt, createdBy: v.createdBy,
            signature: v.signature.map((f) => ({ name: f.name, kind: f.kind })), lineage: { ...v.lineage, trials: v.lineage.trials.length },
            card: `/api/models/${model}/versions/${v.version}/card`,
          })),
        },
      };
    },
  });

  app.http('getModelCard', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}/versions/{version}/card',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const { model } = request.params;
      const number = Number(request.params.version);
      if (!Number.isInteger(number) || number < 1) return badRequest(`version must be a whole number >= 1, got '${request.params.version}'`);
      const registry = deps.registry();
      const version = await registry.version(model, number);
      if (!version) return notFound(`no version ${number} of model '${model}'`);
      const blobs = deps.storage().blobs;
      const evaluation = await getBlob(blobs, evaluationBlob(deps.settings.containers, model, version.artifact.sha256));
      const details = evaluation ? (JSON.parse(evaluation.toString('utf8')) as { importance: CardImportance[]; calibration: CardExtras['calibration'] }) : undefined;
      const profile = await getBlob(blobs, profileBlob(deps.settings.containers, version.lineage.dataset, version.lineage.datasetSha256, version.lineage.contractRevision));
      const html = renderModelCard(version, {
        aliases: await registry.aliasesOf(model),
        importance: details?.importance ?? [],
        calibration: details?.calibration,
        profile: profile ? profileSummary(JSON.parse(profile.toString('utf8')) as DatasetProfile) : [],
      });
      return { status: 200, headers: { 'Content-Type': 'text/html; charset=utf-8' }, body: html };
    },
  });
}
