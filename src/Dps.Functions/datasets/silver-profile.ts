import type { BlobServiceClient } from '@azure/storage-blob';
import { outputColumns } from '../../Dps.Domain/data/accepted-row';
import type { DataContract } from '../../Dps.Domain/data/contract-types';
import { createProfiler, DatasetProfile } from '../../Dps.Domain/data/dataset-profile';
import { BlobRef, putBlob } from '../storage/blob-io';
import { forEachSilverRow } from './silver-rows';

/** Profiles a silver blob in one streaming pass and stores the profile in gold. */
export async function profileSilver(blobs: BlobServiceClient, silver: BlobRef, contract: DataContract, target: BlobRef, seed: number): Promise<DatasetProfile> {
  const columns = outputColumns(contract);
  const profiler = createProfiler(contract.dataset, columns, contract.label, { seed });
  await forEachSilverRow(blobs, silver, (row) => profiler.add(columns.map((c) => row[c.name] ?? null)));
  const profile = profiler.finish();
  await putBlob(blobs, target, JSON.stringify(profile), 'application/json');
  return profile;
}
