import { app, HttpRequest, HttpResponseInit } from '@azure/functions';
import { modelBundleFromJson } from '../../Dps.Domain/ml/model-bundle';
import { exportOnnx } from '../../Dps.Domain/ml/onnx-export';
import type { AppDependencies } from '../app-dependencies';
import { checkModelName } from '../../Dps.Domain/data/dataset-names';
import { badRequest, notFound } from '../shared/http-responses';
import { readArtifactBytes } from './model-artifact';

const FORMATS = ['json', 'onnx'] as const;

/**
 * Registers `GET /api/models/{model}/versions/{v}/artifact?format=json|onnx`: the registered bundle as
 * stored (json, the default; sha256-checked), or the model as ONNX (ai.onnx.ml trees or a linear graph,
 * input float [N, features] in schema order; the feature pipeline travels as metadata `dps.pipeline`).
 */
export function registerModelArtifact(deps: AppDependencies): void {
  app.http('getModelArtifact', {
    methods: ['GET'],
    authLevel: 'function',
    route: 'models/{model}/versions/{version}/artifact',
    handler: async (request: HttpRequest): Promise<HttpResponseInit> => {
      const { model } = request.params;
      const problem = checkModelName(model);
      if (problem) return badRequest(problem);
      const number = Number(request.params.version);
      if (!Number.isInteger(number) || number < 1) return badRequest(`version must be a whole number >= 1, got '${request.params.version}'`);
      const format = request.query.get('format') ?? 'json';
      if (!(FORMATS as readonly string[]).includes(format)) return badRequest(`format must be one of ${FORMATS.join(', ')}, got '${format}'`);
      const version = await deps.registry().version(model, number);
      if (!version) return notFound(`no version ${number} of model '${model}'`);
      const body = await readArtifactBytes(deps.storage().blobs, version.artifact);
      const file = `${model}-v${number}`;
      if (format === 'json') {
        return { status: 200, headers: { 'Content-Type': 'application/json', 'Content-Disposition': `attachment; filename="${file}.json"`, ETag: `"${version.artifact.sha256}"` }, body };
      }
      const bundle = modelBundleFromJson(JSON.parse(body.toString('utf8')));
      if (!bundle.ok) throw new Error(`model artifact ${version.artifact.name}: ${bundle.error}`);
      const onnx = exportOnnx(bundle.value.model, { pipeline: bundle.value.pipeline, producerVersion: deps.version });
      if (!onnx.ok) throw new Error(`ONNX export of ${model} v${number}: ${onnx.error}`);
      return { status: 200, headers: { 'Content-Type': 'application/octet-stream', 'Content-Disposition': `attachment; filename="${file}.onnx"` }, body: onnx.value };
    },
  });
}
