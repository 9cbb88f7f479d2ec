import type { AppDependencies } from '../app-dependencies';
import { profileSilver } from '../datasets/silver-profile';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { profileBlob } from '../storage/blob-layout';

/** The silver blob of a batch to profile, and the contract revision it was validated under. */
export interface ProfileInput {
  dataset: string;
  sha256: string;
  contractRevision: number;
  silver: BlobRef;
}

export const PROFILE_SILVER = activity<ProfileInput, { profile: BlobRef; columns: number }>('pipelineProfile');

/** Profiles the batch's silver rows into gold. */
export function profileStep(deps: AppDependencies): ActivityHandler<ProfileInput, { profile: BlobRef; columns: number }> {
  return async (input) => {
    const { settings } = deps;
    const stored = await deps.dataPlane().contracts.revision(input.dataset, input.contractRevision);
    const target = profileBlob(settings.containers, input.dataset, input.sha256, input.contractRevision);
    const profile = await profileSilver(deps.storage().blobs, input.silver, stored.contract, target, settings.training.seed);
    return { profile: target, columns: profile.columns.length };
  };
}
