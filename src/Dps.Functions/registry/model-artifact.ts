import { createHash } from 'node:crypto';
import type { BlobServiceClient } from '@azure/storage-blob';
import { ModelBundle, modelBundleFromJson, modelBundleToJson } from '../../Dps.Domain/ml/model-bundle';
import type { ArtifactRef } from '../../Dps.Domain/registry/model-version';
import type { DpsSettings } from '../settings';
import { getBlob, putIfAbsent } from '../storage/blob-io';
import { modelArtifactBlob } from '../storage/blob-layout';

/**
 * Stores a scoring bundle (format dps-model/2: pipeline, GBDT or linear model, calibration, threshold)
 * content-addressed under `{model}/{sha256}.json`, so identical bundles are stored once.
 */
export async function saveArtifact(blobs: BlobServiceClient, containers: DpsSettings['containers'], modelName: string, bundle: ModelBundle): Promise<ArtifactRef> {
  const body = Buffer.from(JSON.stringify(modelBundleToJson(bundle)), 'utf8');
  const sha256 = createHash('sha256').update(body).digest('hex');
  const ref = { ...modelArtifactBlob(containers, modelName, sha256), sha256 };
  await putIfAbsent(blobs, ref, body, 'application/json');
  return ref;
}

/** An artifact's bytes, checked against its sha256 so a tampered or missing blob is refused by name. */
export async function readArtifactBytes(blobs: BlobServiceClient, ref: ArtifactRef): Promise<Buffer> {
  const body = await getBlob(blobs, ref);
  if (!body) throw new Error(`model artifact ${ref.container}/${ref.name} is missing`);
  const sha = createHash('sha256').update(body).digest('hex');
  if (sha !== ref.sha256) throw new Error(`model artifact ${ref.name} does not match its sha256 (${sha})`);
  return body;
}

/**
 * Loads an artifact as a scoring bundle: `pipeline`, `model` (a TabularModel: GBDT or linear), `calibration`
 * and `threshold`. Artifacts registered before bundles (dps-model/1, a GBDT) load with no calibration.
 */
export async function loadArtifact(blobs: BlobServiceClient, ref: ArtifactRef): Promise<ModelBundle> {
  const body = await readArtifactBytes(blobs, ref);
  const bundle = modelBundleFromJson(JSON.parse(body.toString('utf8')));
  if (!bundle.ok) throw new Error(`model artifact ${ref.name}: ${bundle.error}`);
  return bundle.value;
}
