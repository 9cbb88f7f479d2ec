import type { PipelineInput, PipelineResult } from '../pipeline/pipeline-run';
import type { LineageBlob, LineageDescriber } from './lineage-facts';

/** Rows each batch layer holds, by its name in the pipeline result's `layers`; other layers (the report) hold none. */
const LAYER_ROWS: Record<string, (rows: PipelineResult['rows']) => number> = {
  silver: (rows) => rows.accepted,
  quarantine: (rows) => rows.quarantined,
  duplicates: (rows) => rows.duplicates,
};

/** The layers a validated batch wrote: a data layer only when it holds rows (an empty one is not written). */
function writtenLayers(result: PipelineResult, contract: LineageBlob['contract']): LineageBlob[] {
  return Object.entries(result.layers ?? {}).flatMap(([layer, blob]) => {
    if (!blob) return [];
    const rowsOf = LAYER_ROWS[layer];
    if (!rowsOf) return [{ blob }];
    const rowCount = rowsOf(result.rows);
    return rowCount > 0 ? [{ blob, rowCount, ...(layer === 'silver' && contract ? { contract } : {}) }] : [];
  });
}

/** A pipeline run: the bronze batch (and test batch) in, the layers, test-set silver and profile out; rejected or failed is a FAIL. */
export const PIPELINE_LINEAGE: LineageDescriber<PipelineInput, PipelineResult> = {
  job: 'pipeline',
  jobType: 'PIPELINE',
  sourcePath: 'src/Dps.Functions/pipeline/pipeline.orchestration.ts',
  start: (input) => ({ inputs: [{ blob: input.batch.bronze }, ...(input.test ? [{ blob: input.test.bronze }] : []) ], outputs: [] }),
  end: (input, result) => {
    const contract = result.contract ? { dataset: result.dataset, revision: result.contract.revision } : undefined;
    const validated = result.layers !== undefined;
    const testSet = result.testSet;
    return {
      inputs: [
        { blob: input.batch.bronze, contract, ...(validated ? { rows: result.rows } : {}) },
        ...(input.test ? [{ blob: input.test.bronze, contract, ...(testSet ? { rows: testSet.rows } : {}) }] : []),
      ],
      outputs: [
        ...writtenLayers(result, contract),
        ...(testSet?.blob && testSet.rows.accepted > 0 ? [{ blob: testSet.blob, contract, rowCount: testSet.rows.accepted }] : []),
        ...(result.profile ? [{ blob: result.profile }] : []),
      ],
      end: result.status === 'accepted'
        ? { eventType: 'COMPLETE', status: 'accepted', reason: `rows read ${result.rows.read} = accepted ${result.rows.accepted} + quarantined ${result.rows.quarantined} + duplicates ${result.rows.duplicates}` }
        : { eventType: 'FAIL', status: result.status, reason: result.errors[0] ?? `the pipeline ended ${result.status}` },
    };
  },
};
