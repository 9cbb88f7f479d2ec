import { buildRunEvent, LineageDatasetSpec, LineageEventType, LineageField } from '../../Dps.Domain/lineage/run-event';
import type { AppDependencies } from '../app-dependencies';
import { trainingSetBlob } from '../storage/blob-layout';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { structuredLog, StructuredLogger } from '../shared/structured-log';
import type { LineageBlob, LineageModel, LineageRun, LineageRunFacts } from './lineage-facts';

/** One event of a run: its type, the orchestration's clock, the run, the job's type and source, and the facts. */
export interface EmitLineageInput {
  eventType: LineageEventType;
  eventTime: string;
  run: LineageRun;
  jobType: string;
  sourcePath: string;
  facts: LineageRunFacts;
}

export const EMIT_LINEAGE = activity<EmitLineageInput, void>('lineageEmit');

/**
 * Builds the run's OpenLineage event (schemas from the stored contract revisions, model versions
 * resolved to their artifact blobs) and emits it. Re-running it writes the same blob: the name comes
 * from the orchestration's clock, not this activity's.
 */
export function emitLineage(deps: AppDependencies): ActivityHandler<EmitLineageInput, void> {
  return async (input, context) => {
    const log = structuredLog(context, { instanceId: input.run.instanceId });
    const fields = contractFields(deps, log);
    const models = modelArtifacts(deps, log);
    const datasets = async (blobs: LineageBlob[], refs: LineageModel[] = []): Promise<LineageDatasetSpec[]> => [
      ...await Promise.all(blobs.map(async (b) => ({ ...b.blob, fields: b.contract ? await fields(b.contract) : undefined, rows: b.rows, rowCount: b.rowCount }))),
      ...(await Promise.all(refs.map(models))).filter((d): d is LineageDatasetSpec => d !== undefined),
    ];
    const { facts } = input;
    const trainingSets = (facts.outputTrainingSets ?? []).map((t) => ({ blob: trainingSetBlob(deps.settings.containers, t.dataset, t.sha256, t.contractRevision, t.windowSize) }));
    const event = buildRunEvent({
      eventType: input.eventType, eventTime: input.eventTime,
      producer: { repository: deps.settings.lineage.repository, version: deps.version, commit: deps.settings.lineage.commit },
      namespace: deps.settings.lineage.namespace, account: deps.lineage().account(),
      job: { name: input.run.job, jobType: input.jobType, sourcePath: input.sourcePath },
      run: { key: input.run.key, instanceId: input.run.instanceId }, parent: facts.parent,
      inputs: await datasets(facts.inputs, facts.inputModels), outputs: await datasets([...facts.outputs, ...trainingSets], facts.outputModels),
      error: facts.end?.eventType === 'FAIL' ? facts.end.reason : undefined,
      outcome: facts.end ? { status: facts.end.status, reason: facts.end.reason } : undefined,
    });
    const outcome = await deps.lineage().emit(event, log);
    log.info('openlineage event emitted', { eventType: event.eventType, job: event.job.name, runId: event.run.runId, blob: outcome.blob.name, endpoint: outcome.endpoint });
  };
}

/** The schema fields of a contract revision, read once per revision; a revision that cannot be read gives no schema facet (logged), not a lost event. */
function contractFields(deps: AppDependencies, log: StructuredLogger): (ref: { dataset: string; revision: number }) => Promise<LineageField[] | undefined> {
  const cache = new Map<string, Promise<LineageField[] | undefined>>();
  return (ref) => {
    const key = `${ref.dataset}@${ref.revision}`;
    let found = cache.get(key);
    if (!found) {
      found = deps.dataPlane().contracts.revision(ref.dataset, ref.revision).then(
        (stored) => stored.contract.columns.map((c) => ({ name: c.name, type: c.type, ...(c.description ? { description: c.description } : {}) })),
        (error: Error) => {
          log.warn('openlineage schema facet left out: the contract revision could not be read', { dataset: ref.dataset, revision: ref.revision, reason: error.message });
          return undefined;
        },
      );
      cache.set(key, found);
    }
    return found;
  };
}

/** A model version as the dataset it is: its artifact blob, its signature (the model's inputs) as the schema; a version the registry does not have is left out (logged). */
function modelArtifacts(deps: AppDependencies, log: StructuredLogger): (ref: LineageModel) => Promise<LineageDatasetSpec | undefined> {
  return async (ref) => {
    const version = await deps.registry().version(ref.model, ref.version);
    if (!version) {
      log.warn('openlineage dataset left out: the model version is not in the registry', { model: ref.model, version: ref.version });
      return undefined;
    }
    const fields = version.signature.map((f) => ({ name: f.name, type: f.kind === 'numeric' ? f.source : 'category' }));
    return { container: version.artifact.container, name: version.artifact.name, fields };
  };
}
