import type { DatasetProfile } from '../../Dps.Domain/data/dataset-profile';
import { DriftReference, buildDriftReference } from '../../Dps.Domain/drift/drift-reference';
import type { ModelVersion } from '../../Dps.Domain/registry/model-version';
import type { AppDependencies } from '../app-dependencies';
import { readSilverRows } from '../datasets/silver-rows';
import { BlobRef, getBlob, putIfAbsent } from '../storage/blob-io';
import { driftReferenceBlob, profileBlob } from '../storage/blob-layout';
import { driftColumns } from './drift-features';
import { scopedCache } from '../shared/scoped-cache';

/** A model version with the summary of its training data that drift is measured against. */
export interface VersionReference {
  version: ModelVersion;
  reference: DriftReference;
}

// References never change once built (one per model version), so an instance keeps the ones it used.
const references = scopedCache<DriftReference>(16);

/** The silver blobs a version was trained on: its training window, or its one batch. */
export function trainingSilvers(version: ModelVersion): BlobRef[] {
  const window = version.lineage.silverWindow;
  return window && window.length > 0 ? window : [version.lineage.silver];
}

/**
 * The drift reference of a model version: read from its blob, or built once from the version's
 * training silver (features as the signature names them, PSI bins from the batch profile) and stored.
 */
export function versionReference(deps: AppDependencies, version: ModelVersion): Promise<DriftReference> {
  return references(deps.storage(), `${version.model}\u0000${version.version}`, () => loadOrBuild(deps, version));
}

async function loadOrBuild(deps: AppDependencies, version: ModelVersion): Promise<DriftReference> {
  const blobs = deps.storage().blobs;
  const ref = driftReferenceBlob(deps.settings.containers, version.model, version.version);
  const stored = await getBlob(blobs, ref);
  if (stored) return JSON.parse(stored.toString('utf8')) as DriftReference;
  const rows = (await Promise.all(trainingSilvers(version).map((s) => readSilverRows(blobs, s)))).flat();
  const { lineage } = version;
  const profileText = await getBlob(blobs, profileBlob(deps.settings.containers, lineage.dataset, lineage.datasetSha256, lineage.contractRevision));
  const profile = profileText ? (JSON.parse(profileText.toString('utf8')) as DatasetProfile) : undefined;
  const reference = buildDriftReference(`${version.model} v${version.version} training data`, driftColumns(version.signature, rows), { profile });
  // Deterministic for the version: whichever instance stores it first, the content is the same.
  await putIfAbsent(blobs, ref, JSON.stringify(reference), 'application/json');
  return reference;
}

/** The current champion of a model and its reference, or undefined when the model has none. */
export async function championReference(deps: AppDependencies, model: string): Promise<VersionReference | undefined> {
  const registry = deps.registry();
  const champion = (await registry.aliasesOf(model)).find((a) => a.alias === 'champion');
  if (!champion) return undefined;
  const version = await registry.version(model, champion.version);
  if (!version) return undefined;
  return { version, reference: await versionReference(deps, version) };
}
