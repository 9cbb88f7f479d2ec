import type { DpsSettings } from '../settings';
import type { BlobRef } from './blob-io';

/**
 * Every blob path family of the app, in one place: where each layer, report, model file and audit
 * segment lives. Containers are the ones the settings name.
 */
type Containers = DpsSettings['containers'];

/** The landing trigger's path pattern: each file under `landing/{dataset}/` starts a pipeline. */
export function landingPattern(containers: Containers): string {
  return `${containers.landing}/{dataset}/{name}`;
}

/** The dataset and file of a landing path (`landing/{dataset}/{name}`); undefined for any other path. */
export function parseLandingPath(containers: Containers, path: string): { dataset: string; name: string; blob: BlobRef } | undefined {
  const prefix = `${containers.landing}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  return { dataset: rest.slice(0, slash), name: rest.slice(slash + 1), blob: { container: containers.landing, name: rest } };
}

/** Raw bytes of a batch in bronze: `{dataset}/{sha256}`, content-addressed. */
export function bronzeBlob(containers: Containers, dataset: string, sha256: string): BlobRef {
  return { container: containers.bronze, name: `${dataset}/${sha256}` };
}

/** Every blob family of one dataset, as container and name prefix: what a dataset reset deletes. */
export function datasetBlobPrefixes(containers: Containers, dataset: string): Array<{ container: string; prefix: string }> {
  return [containers.landing, containers.bronze, containers.silver, containers.quarantine, containers.gold, containers.reports].map((container) => ({ container, prefix: `${dataset}/` }));
}

/** Where a batch's layers go. */
export interface LayerTargets {
  silver: BlobRef;
  quarantine: BlobRef;
  duplicates: BlobRef;
  report: BlobRef;
}

/**
 * The blob names of a batch's layers. Silver is Parquet, Hive-partitioned by silver version so engines
 * prune by it: `{dataset}/version={n}/part-{batchName}.r{rev}.parquet` (the batch in the part's name, so
 * two writers that aimed at one version never overwrite each other); without a version (a test set,
 * never a silver version) `{dataset}/testsets/{batchName}.r{rev}.parquet`, outside the partitions.
 * Quarantine and duplicates stay JSON Lines (they keep row texts): `{dataset}/{batchName}.r{rev}.jsonl`;
 * the report under `{dataset}/{batchName}/` in reports. One naming for batches, test sets and replays.
 */
export function batchLayers(containers: Containers, dataset: string, batchName: string, contractRevision: number, silverVersion?: number): LayerTargets {
  const base = `${dataset}/${batchName}.r${contractRevision}`;
  const silver = silverVersion === undefined ? `${dataset}/testsets/${batchName}.r${contractRevision}.parquet` : `${dataset}/version=${silverVersion}/part-${batchName}.r${contractRevision}.parquet`;
  return {
    silver: { container: containers.silver, name: silver },
    quarantine: { container: containers.quarantine, name: `${base}.jsonl` },
    duplicates: { container: containers.quarantine, name: `${base}.duplicates.jsonl` },
    report: { container: containers.reports, name: `${dataset}/${batchName}/validation.r${contractRevision}.json` },
  };
}

/** The silver version a silver part's path is partitioned under; undefined for a test set or another path. */
export function silverVersionOfPath(silver: BlobRef): number | undefined {
  const match = /\/version=(\d+)\//.exec(silver.name);
  return match ? Number(match[1]) : undefined;
}

/** A dataset's cross-batch dedup memory in gold. */
export function dedupStateBlob(containers: Containers, dataset: string): BlobRef {
  return { container: containers.gold, name: `${dataset}/dedup-state.json` };
}

/** The gold profile of a batch under a contract revision. */
export function profileBlob(containers: Containers, dataset: string, sha256: string, contractRevision: number): BlobRef {
  return { container: containers.gold, name: `${dataset}/${sha256}/profile.r${contractRevision}.json` };
}

/** The training plan of a batch under a contract revision, in gold; a training window of `windowSize` batches ending at it has its own. */
export function trainingPlanBlob(containers: Containers, dataset: string, sha256: string, contractRevision: number, windowSize?: number): BlobRef {
  const window = windowSize === undefined ? '' : `.window${windowSize}`;
  return { container: containers.gold, name: `${dataset}/${sha256}/training-plan.r${contractRevision}${window}.json` };
}

/** The training set a plan yields (its rows and which part each is in), as Parquet beside the plan in gold. */
export function trainingSetBlob(containers: Containers, dataset: string, sha256: string, contractRevision: number, windowSize?: number): BlobRef {
  const window = windowSize === undefined ? '' : `.window${windowSize}`;
  return { container: containers.gold, name: `${dataset}/${sha256}/training-set.r${contractRevision}${window}.parquet` };
}

/** A model artifact, content-addressed: `{model}/{sha256}.json` in models. */
export function modelArtifactBlob(containers: Containers, model: string, sha256: string): BlobRef {
  return { container: containers.models, name: `${model}/${sha256}.json` };
}

/** A model's evaluation details (metrics, calibration, importance), next to its artifact. */
export function evaluationBlob(containers: Containers, model: string, artifactSha256: string): BlobRef {
  return { container: containers.models, name: `${model}/evaluations/${artifactSha256}.json` };
}

/** The audit segment `index` (from 1) in the audit container: `chain/segment-000001.jsonl`. */
export function auditSegmentName(index: number): string {
  return `${AUDIT_SEGMENT_PREFIX}${String(index).padStart(6, '0')}.jsonl`;
}

/** Prefix of the audit segments in the audit container (they sort in seq order). */
export const AUDIT_SEGMENT_PREFIX = 'chain/segment-';

/** Prefix of the audit anchors in the audit container: the chain head, written as it moves, one file per day. */
export const AUDIT_ANCHOR_PREFIX = 'chain/anchors-';

/** The anchors file of a UTC day (ISO date): `chain/anchors-2026-11-29.jsonl` (an append blob takes 50,000 appends). */
export function auditAnchorName(day: string): string {
  return `${AUDIT_ANCHOR_PREFIX}${day.slice(0, 10)}.jsonl`;
}

/** The weekly PDCA report of the week ending at `weekEnd` (ISO), in reports: `flow/pdca-2026-11-30.html`. */
export function pdcaReportBlob(containers: Containers, weekEnd: string): BlobRef {
  return { container: containers.reports, name: `flow/pdca-${weekEnd.slice(0, 10)}.html` };
}

/** Where one UTC day's served predictions are tallied by latency (for the predict SLO), in reports: `flow/predict-latency/2026-11-30.json`. */
export function predictLatencyTallyBlob(containers: Containers, day: string): BlobRef {
  return { container: containers.reports, name: `${PREDICT_LATENCY_PREFIX}${day}.json` };
}

/** The prefix of the daily predict latency tallies in reports. */
export const PREDICT_LATENCY_PREFIX = 'flow/predict-latency/';

/** Where rejected audit events go in the audit container. */
export const DEAD_LETTER_PREFIX = 'deadletter/';

/** A dead letter's blob name from the hash of its body and reason. */
export function deadLetterName(hash: string): string {
  return `${DEAD_LETTER_PREFIX}${hash}.json`;
}

/** The drift reference of a model version (its training data summarised), next to its artifacts. */
export function driftReferenceBlob(containers: Containers, model: string, version: number): BlobRef {
  return { container: containers.models, name: `${model}/drift/reference.v${version}.json` };
}

/** The batch-scoring trigger's path pattern: each file under `scoring/{model}/` is scored by the model's champion. */
export function scoringPattern(containers: Containers): string {
  return `${containers.scoring}/{model}/{name}`;
}

/** The model and file of a scoring path (`scoring/{model}/{name}`) and the file's stem (its name without the extension); undefined for any other path. */
export function parseScoringPath(containers: Containers, path: string): { model: string; name: string; stem: string; blob: BlobRef } | undefined {
  const prefix = `${containers.scoring}/`;
  if (!path.startsWith(prefix)) return undefined;
  const rest = path.slice(prefix.length);
  const slash = rest.indexOf('/');
  if (slash <= 0 || slash === rest.length - 1) return undefined;
  const name = rest.slice(slash + 1);
  const dot = name.lastIndexOf('.');
  const stem = dot > name.lastIndexOf('/') + 1 ? name.slice(0, dot) : name;
  return { model: rest.slice(0, slash), name, stem, blob: { container: containers.scoring, name: rest } };
}

/** Where a batch-scoring run writes, in gold under `predictions/{model}/{stem}/`: chunk inputs, each chunk's predictions (Parquet) and rejected rows (JSON Lines: they keep the raw text), and the summary. */
export interface BatchPredictionBlobs {
  chunkInput(index: number): BlobRef;
  predictions(index: number): BlobRef;
  rejected(index: number): BlobRef;
  summary: BlobRef;
}

/** The blobs of a batch-scoring run of `{model}/{stem}`; chunk 0 holds the rows the file's parser could not read. */
export function batchPredictionBlobs(containers: Containers, model: string, stem: string): BatchPredictionBlobs {
  const base = `predictions/${model}/${stem}`;
  const at = (kind: string, index: number, extension = 'jsonl'): BlobRef => ({ container: containers.gold, name: `${base}/${kind}-${String(index).padStart(6, '0')}.${extension}` });
  return {
    chunkInput: (index) => at('chunks/input', index),
    predictions: (index) => at('predictions', index, 'parquet'),
    rejected: (index) => at('rejected', index),
    summary: { container: containers.gold, name: `${base}/summary.json` },
  };
}

/** Where an OpenLineage event is kept: `{job}/{runId}/{eventTime}-{eventType}.json` in lineage, so a run's events sort in time order. */
export function lineageEventBlob(containers: Containers, event: { eventType: string; eventTime: string; job: { name: string }; run: { runId: string } }): BlobRef {
  return { container: containers.lineage, name: `${event.job.name}/${event.run.runId}/${event.eventTime.replace(/:/g, '')}-${event.eventType}.json` };
}
