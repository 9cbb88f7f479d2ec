import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import type { AppDependencies } from '../app-dependencies';
import { auditOutput, AuditStamp, emitAudit } from '../audit/audit-output';
import { EVALUATE_BATCH_DRIFT } from '../compute/compute-tasks';
import { forEachSilverRow } from '../datasets/silver-rows';
import { activity, ActivityHandler } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { championReference } from './champion-reference';
import { driftValue } from './drift-features';
import { driftThresholds } from './drift-monitor-store';

/** A landed batch to compare with its dataset's champion. */
export interface BatchDriftInput {
  dataset: string;
  sha256: string;
  silver: BlobRef;
  instanceId: string;
  audit: AuditStamp;
}

/** The batch's verdict as the run result carries it (per-feature fields as in GET /drift), or why there is none. */
export type BatchDrift =
  | { status: 'skipped'; reason: string }
  | {
      status: 'compared';
      model: string;
      version: number;
      reference: string;
      rows: number;
      datasetDrift: boolean;
      share: number;
      drifted: number;
      evaluated: number;
      features: { name: string; method: string; score: number | null; threshold: number; drift: boolean; psi: number | null }[];
    };

export const BATCH_DRIFT = activity<BatchDriftInput, BatchDrift>('pipelineDrift', [auditOutput]);

/**
 * The pipeline's drift stage: when the dataset has a champion, its silver rows are sketched on the
 * champion's training reference and judged with the monitor's thresholds (in the compute pool); the
 * verdict is audited. Without a champion there is nothing to compare with.
 */
export function batchDrift(deps: AppDependencies): ActivityHandler<BatchDriftInput, BatchDrift> {
  return async (input, context) => {
    const champion = await championReference(deps, input.dataset);
    if (!champion) return { status: 'skipped', reason: `model '${input.dataset}' has no champion yet` };
    const { version, reference } = champion;
    const specs = new Map(version.signature.map((s) => [s.name, s]));
    const columns: Record<string, TypedValue[]> = {};
    for (const f of reference.features) columns[f.name] = [];
    const rows = await forEachSilverRow(deps.storage().blobs, input.silver, (row) => {
      for (const f of reference.features) {
        const spec = specs.get(f.name);
        columns[f.name].push(spec ? driftValue(spec, row[f.name]) : null);
      }
    });
    const verdict = await deps.compute().run(EVALUATE_BATCH_DRIFT, { reference, columns, rows, thresholds: driftThresholds(deps), label: input.sha256 });
    const features = verdict.features.map(({ name, method, score, threshold, drift, psi }) => ({ name, method, score, threshold, drift, psi }));
    const drifted = features.filter((f) => f.drift);
    emitAudit(context, {
      id: `drift-batch-${input.dataset}-${input.sha256.slice(0, 16)}-v${version.version}-${input.audit.run}`, when: input.audit.at, who: 'dps-pipeline',
      what: 'drift.batch', outcome: verdict.datasetDrift ? 'drift' : 'clean', instanceId: input.instanceId,
      why: `${verdict.drifted} of ${verdict.evaluated} features drifted against v${version.version}'s training data${drifted.length ? `: ${drifted.map((f) => f.name).join(', ')}` : ''}`,
      subjects: { dataset: input.dataset, model: input.dataset, version: String(version.version) }, details: { rows, share: verdict.share, features: drifted },
    });
    return {
      status: 'compared', model: input.dataset, version: version.version, reference: reference.source, rows,
      datasetDrift: verdict.datasetDrift, share: verdict.share, drifted: verdict.drifted, evaluated: verdict.evaluated, features,
    };
  };
}
