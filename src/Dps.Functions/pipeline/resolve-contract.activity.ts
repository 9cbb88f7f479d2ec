import type { AppDependencies } from '../app-dependencies';
import { auditOutput, emitAudit } from '../audit/audit-output';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { inferBatchContract } from '../ingest/batch-input';
import { contractTooLarge } from '../datasets/contract-store';
import type { PipelineInput } from './pipeline-run';

/** The contract a batch is validated against: the stored one, or one inferred from the batch and stored. */
export type ContractResolution = { ok: true; revision: number; origin: 'user' | 'inferred'; label?: string } | { ok: false; reason: string };

export const RESOLVE_CONTRACT = activity<PipelineInput, ContractResolution>('pipelineResolveContract', [auditOutput]);

/** Finds the dataset's current contract; without one, infers it from the batch, stores it and audits that. */
export function resolveContract(deps: AppDependencies): ActivityHandler<PipelineInput, ContractResolution> {
  return async (input, context) => {
    const { contracts } = deps.dataPlane();
    const { dataset } = input.batch;
    const stored = await contracts.current(dataset);
    if (stored) return { ok: true, revision: stored.revision, origin: stored.origin, label: stored.contract.label?.column };
    const inferred = await inferBatchContract(deps.storage().blobs, input.batch.bronze, input.batch.source, { dataset, label: input.label });
    if (!inferred.ok) return { ok: false, reason: `no contract is stored for '${dataset}' and none could be inferred: ${inferred.error}` };
    const tooLarge = contractTooLarge(dataset, inferred.value.contract);
    if (tooLarge) return { ok: false, reason: `no contract is stored for '${dataset}' and the inferred one cannot be: ${tooLarge}` };
    // First batches arriving together each infer; the first stored wins and the others validate under it.
    const { stored: saved, created } = await contracts.putInferred(dataset, inferred.value.contract);
    if (!created) return { ok: true, revision: saved.revision, origin: saved.origin, label: saved.contract.label?.column };
    emitAudit(context, {
      id: `contract-${dataset}-r${saved.revision}`, who: 'system', what: 'contract.stored', outcome: 'stored',
      why: `no contract was stored for '${dataset}'; inferred from batch ${input.batch.sha256.slice(0, 12)}`,
      subjects: { dataset }, details: { revision: saved.revision, origin: 'inferred', notes: inferred.value.notes },
    });
    return { ok: true, revision: saved.revision, origin: 'inferred', label: saved.contract.label?.column };
  };
}
