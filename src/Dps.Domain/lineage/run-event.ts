import type { RowCounts } from '../data/validation-report';
import { blobDataset } from './dataset-naming';
import { RUN_EVENT_SCHEMA_URL, StandardFacet, standardFacetSchemaUrl } from './facet-schemas';
import { LineageProducer, dpsFacetSchemaUrl, engineVersion, producerUri, sourceFileUrl, sourceRevision } from './producer';
import { LineageParent, lineageRunId } from './run-id';

/** The run state transitions DPS emits: one START, then one of COMPLETE, FAIL or ABORT. */
export type LineageEventType = 'START' | 'COMPLETE' | 'FAIL' | 'ABORT';

/** A column of a dataset's schema facet (from the data contract). */
export interface LineageField {
  name: string;
  type: string;
  description?: string;
}

/** A blob read or written by a run, with what DPS knows about it. */
export interface LineageDatasetSpec {
  container: string;
  name: string;
  /** The schema (from the contract); absent when the blob has none DPS declares (a model artifact). */
  fields?: LineageField[];
  /** An input's row accounting: read = accepted + quarantined + duplicates. */
  rows?: RowCounts;
  /** An output's row count. */
  rowCount?: number;
}

/** Everything one RunEvent says, as plain data. */
export interface RunEventSpec {
  eventType: LineageEventType;
  eventTime: string;
  producer: LineageProducer;
  /** The job namespace (DPS_OPENLINEAGE_NAMESPACE), e.g. `dps`. */
  namespace: string;
  /** The storage account the blobs live in: the datasets' namespace. */
  account: string;
  /** The job: `pipeline`, `training`, `rollout`, `retraining` and its jobType (e.g. `PIPELINE`, `TRAINING`). */
  job: { name: string; jobType: string; sourcePath: string };
  /** The run's key (lineageRunKey) and the DPS instance behind it. */
  run: { key: string; instanceId: string };
  /** The run that started this one (a training run's pipeline or retrain). */
  parent?: LineageParent;
  inputs: LineageDatasetSpec[];
  outputs: LineageDatasetSpec[];
  /** A FAIL's reason. */
  error?: string;
  /** How the run ended in DPS's own words (`accepted`, `rolledBack`, `skipped`, ...) and why. */
  outcome?: { status: string; reason?: string };
}

type Facet = Record<string, unknown>;

/** An OpenLineage RunEvent as JSON (spec 2-0-2). */
export interface RunEvent {
  eventType: LineageEventType;
  eventTime: string;
  producer: string;
  schemaURL: string;
  run: { runId: string; facets: Record<string, Facet> };
  job: { namespace: string; name: string; facets: Record<string, Facet> };
  inputs: Array<{ namespace: string; name: string; facets: Record<string, Facet>; inputFacets: Record<string, Facet> }>;
  outputs: Array<{ namespace: string; name: string; facets: Record<string, Facet>; outputFacets: Record<string, Facet> }>;
}

/** Builds one OpenLineage RunEvent: run (id, parent, engine, error, DPS outcome), job (type, source), inputs and outputs with their facets. */
export function buildRunEvent(spec: RunEventSpec): RunEvent {
  const producer = producerUri(spec.producer);
  const standard = (facet: StandardFacet, fields: Facet): Facet => ({ _producer: producer, _schemaURL: standardFacetSchemaUrl(facet), ...fields });
  const own = (facet: string, fields: Facet): Facet => ({ _producer: producer, _schemaURL: dpsFacetSchemaUrl(spec.producer, facet), ...fields });
  const datasetFacets = (d: LineageDatasetSpec): Record<string, Facet> =>
    d.fields ? { schema: standard('SchemaDatasetFacet', { fields: d.fields.map((f, i) => ({ ...f, ordinal_position: i + 1 })) }) } : {};
  // An input's rows: the standard quality facet counts what was read, DPS's own facet says where each row went.
  const inputFacets = (d: LineageDatasetSpec): Record<string, Facet> => d.rows ? {
    dataQualityMetrics: standard('DataQualityMetricsInputDatasetFacet', { rowCount: d.rows.read, columnMetrics: {} }),
    dps_rowAccounting: own('DpsRowAccountingInputDatasetFacet', { read: d.rows.read, accepted: d.rows.accepted, quarantined: d.rows.quarantined, duplicates: d.rows.duplicates }),
  } : {};
  const outputFacets = (d: LineageDatasetSpec): Record<string, Facet> =>
    d.rowCount === undefined ? {} : { outputStatistics: standard('OutputStatisticsOutputDatasetFacet', { rowCount: d.rowCount }) };

  const runFacets: Record<string, Facet> = {
    processing_engine: standard('ProcessingEngineRunFacet', { name: 'DPS', version: engineVersion(spec.producer), openlineageAdapterVersion: engineVersion(spec.producer) }),
    dps_run: own('DpsRunFacet', { instanceId: spec.run.instanceId, ...(spec.outcome ? { status: spec.outcome.status, ...(spec.outcome.reason ? { reason: spec.outcome.reason } : {}) } : {}) }),
  };
  if (spec.parent) {
    runFacets.parent = standard('ParentRunFacet', { run: { runId: lineageRunId(spec.parent.key) }, job: { namespace: spec.namespace, name: spec.parent.job } });
  }
  if (spec.eventType === 'FAIL') {
    runFacets.errorMessage = standard('ErrorMessageRunFacet', { message: spec.error ?? spec.outcome?.reason ?? 'the run failed', programmingLanguage: 'TypeScript' });
  }

  const jobFacets: Record<string, Facet> = {
    jobType: standard('JobTypeJobFacet', { processingType: 'BATCH', integration: 'DPS', jobType: spec.job.jobType }),
  };
  const sourceUrl = sourceFileUrl(spec.producer, spec.job.sourcePath);
  if (sourceUrl) {
    jobFacets.sourceCodeLocation = standard('SourceCodeLocationJobFacet', {
      type: 'git', url: sourceUrl, repoUrl: spec.producer.repository, path: spec.job.sourcePath, version: sourceRevision(spec.producer),
    });
  }

  return {
    eventType: spec.eventType,
    eventTime: spec.eventTime,
    producer,
    schemaURL: RUN_EVENT_SCHEMA_URL,
    run: { runId: lineageRunId(spec.run.key), facets: runFacets },
    job: { namespace: spec.namespace, name: spec.job.name, facets: jobFacets },
    inputs: spec.inputs.map((d) => ({ ...blobDataset(spec.account, d), facets: datasetFacets(d), inputFacets: inputFacets(d) })),
    outputs: spec.outputs.map((d) => ({ ...blobDataset(spec.account, d), facets: datasetFacets(d), outputFacets: outputFacets(d) })),
  };
}
