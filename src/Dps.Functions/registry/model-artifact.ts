import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import type { GbdtModel } from '../../Dps.Domain/ml/gbdt-model';
import { gbdtModelFromJson, gbdtModelToJson } from '../../Dps.Domain/ml/gbdt-model-json';
import type { FeaturePipeline } from '../../Dps.Domain/ml/feature-pipeline';
import type { ArtifactRef } from '../../Dps.Domain/registry/model-version';
import type { DpsSettings } from '../settings';
import { getBlob, putIfAbsent } from '../storage/blob-io';
import { modelArtifactBlob } from '../storage/blob-layout';

/** A scoring artifact: the feature pipeline and the trees, one JSON document. */
export interface ModelArtifact {
  format: 'dps-model/1';
  pipeline: FeaturePipeline;
  threshold: number;
  model: ReturnType<typeof gbdtModelToJson>;
}

/** Stores a model content-addressed under `{model}/{sha256}.json` (identical models are stored once). */
export async function saveArtifact(blobs: BlobServiceClient, containers: DpsSettings['containers'], modelName: string, pipeline: FeaturePipeline, model: GbdtModel): Promise<ArtifactRef> {
  const artifact: ModelArtifact = { format: 'dps-model/1', pipeline, threshold: 0.5, model: gbdtModelToJson(model) };
  const body = Buffer.from(JSON.stringify(artifact), 'utf8');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const ref = { ...modelArtifactBlob(containers, modelName, sha256), sha256 };
  await putIfAbsent(blobs, ref, body, 'application/json');
  return ref;
}

/** Loads an artifact and rebuilds its model; the sha256 is checked so a tampered blob is refused. */
export async function loadArtifact(blobs: BlobServiceClient, ref: ArtifactRef): Promise<{ pipeline: FeaturePipeline; model: GbdtModel; threshold: number }> {
  const body = await getBlob(blobs, ref);
  if (!body) throw new Error(`model artifact ${ref.container}/${ref.name} is missing`);
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== ref.sha256) throw new Error(`model artifact ${ref.name} does not match its sha256 (${sha})`);
  const artifact = JSON.parse(body.toString('utf8')) as ModelArtifact;
  const model = gbdtModelFromJson(artifact.model);
  if (!model.ok) throw new Error(`model artifact ${ref.name}: ${model.error}`);
  return { pipeline: artifact.pipeline, model: model.value, threshold: artifact.threshold };
}
