import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import type { BlobServiceClient } from '@azure/storage-blob';
import { renderModelCard, CardEvaluation, CardExtras, CardImportance, CardProfileColumn } from '../../Dps.Domain/registry/model-card';
import type { ModelVersion } from '../../Dps.Domain/registry/model-version';
import { getBlob } from '../storage/blob-io';
import type { DatasetProfile } from '../../Dps.Domain/data/dataset-profile';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { evaluationBlob, profileBlob } from '../storage/blob-layout';
import { profileSummary } from './profile-summary';
import { badRequest, htmlPage, notFound } from '../shared/http-responses';

/** A version's stored evaluation details: the report-based kind, or the gain/permutation kind of earlier versions. */
type StoredDetails = Partial<CardEvaluation> & { importance?: CardImportance[]; calibration?: CardExtras['calibration'] };

async function readJson<T>(blobs: BlobServiceClient, ref: { container: string; name: string }): Promise<T | undefined> {
  const body = await getBlob(blobs, ref);
  return body ? (JSON.parse(body.toString('utf8')) as T) : undefined;
}

/** The one-line-per-column profile of the data a version was trained on (empty when it is gone). */
async function trainingProfile(deps: AppDependencies, version: ModelVersion): Promise<CardProfileColumn[]> {
  const { lineage } = version;
  const profile = await readJson<DatasetProfile>(deps.storage().blobs, profileBlob(deps.settings.containers, lineage.dataset, lineage.datasetSha256, lineage.contractRevision));
  return profile ? profileSummary(profile) : [];
}

const versionPath = (model: string, version: number) => `/api/models/${encodeURIComponent(model)}/versions/${version}`;

/** Registers `GET /api/models/{model}` and `GET /api/models/{model}/versions/{v}/card`. */
export function registerModels(deps: AppDependencies): void {
  app.http('getModel', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const model = request.params.model;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
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
            ...(v.label ? { label: v.label } : {}), ...(v.selection ? { selection: v.selection } : {}), ...(v.decisions ? { decisions: v.decisions } : {}),
            ...(v.accounting ? { accounting: v.accounting } : {}), ...(v.warnings ? { warnings: v.warnings } : {}),
            signature: v.signature.map((f) => ({ name: f.name, kind: f.kind })), lineage: { ...v.lineage, trials: v.lineage.trials.length },
            card: `${versionPath(model, v.version)}/card`,
            artifact: { json: `${versionPath(model, v.version)}/artifact?format=json`, onnx: `${versionPath(model, v.version)}/artifact?format=onnx` },
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
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      const number = Number(request.params.version);
      if (!Number.isInteger(number) || number < 1) return badRequest(`version must be a whole number >= 1, got '${request.params.version}'`);
      const registry = deps.registry();
      const version = await registry.version(model, number);
      if (!version) return notFound(`no version ${number} of model '${model}'`);
      const aliases = await registry.aliasesOf(model);
      const details = await readJson<StoredDetails>(deps.storage().blobs, evaluationBlob(deps.settings.containers, model, version.artifact.sha256));
      const championAlias = aliases.find((a) => a.alias === 'champion');
      const champion = championAlias && championAlias.version !== number ? await registry.version(model, championAlias.version) : undefined;
      // Links are relative to this page (…/versions/{v}/card), so they keep the page's host and need no key in the markup.
      const html = renderModelCard(version, {
        aliases,
        profile: await trainingProfile(deps, version),
        ...(details?.report ? { evaluation: details as CardEvaluation } : { importance: details?.importance ?? [], calibration: details?.calibration }),
        ...(champion ? { champion: { version: champion, profile: await trainingProfile(deps, champion) } } : {}),
        links: {
          dataset: `../../../../datasets/${encodeURIComponent(version.lineage.dataset)}`,
          run: `../../../../pipelines/${encodeURIComponent(version.lineage.pipelineInstanceId)}`,
          artifactJson: 'artifact?format=json',
          artifactOnnx: 'artifact?format=onnx',
        },
      });
      return htmlPage(html);
    },
  });
}
