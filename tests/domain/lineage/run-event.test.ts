import { describe, expect, it } from 'vitest';
import { blobDataset } from '../../../src/Dps.Domain/lineage/dataset-naming';
import { RUN_EVENT_SCHEMA_URL } from '../../../src/Dps.Domain/lineage/facet-schemas';
import { buildRunEvent, RunEventSpec } from '../../../src/Dps.Domain/lineage/run-event';
import { lineageRunId, lineageRunKey } from '../../../src/Dps.Domain/lineage/run-id';
import { openLineageProblems, vendoredIds } from '../../fixtures/openlineage/validator';

const KEY = lineageRunKey('pipeline-churn-0a1b2c3d4e5f', '2026-11-30T01:00:00.000Z');

/** A pipeline's COMPLETE with a bronze input (rows accounted) and a silver output, from a deployment that names its repository and commit. */
function spec(overrides: Partial<RunEventSpec> = {}): RunEventSpec {
  return {
    eventType: 'COMPLETE', eventTime: '2026-11-30T01:00:05.000Z',
    producer: { repository: 'https://github.com/example/dps', version: '0.1.0', commit: '0123456789abcdef0123' },
    namespace: 'dps', account: 'dpsdata',
    job: { name: 'pipeline', jobType: 'PIPELINE', sourcePath: 'src/Dps.Functions/pipeline/pipeline.orchestration.ts' },
    run: { key: KEY, instanceId: 'pipeline-churn-0a1b2c3d4e5f' },
    inputs: [{ container: 'bronze', name: 'churn/abc', fields: [{ name: 'id', type: 'integer' }, { name: 'plan', type: 'category', description: 'the plan' }], rows: { read: 10, accepted: 7, quarantined: 2, duplicates: 1 } }],
    outputs: [{ container: 'silver', name: 'churn/version=1/part-0.parquet', rowCount: 7 }],
    outcome: { status: 'accepted', reason: 'rows read 10 = accepted 7 + quarantined 2 + duplicates 1' },
    ...overrides,
  };
}

describe('lineage run ids', () => {
  it('is the RFC 9562 name-based (version 5) UUID of the run key', () => {
    // Python's uuid.uuid5(UUID('6f1b7c2e-5d3a-4e8b-9a41-2c7d0e9f8b15'), KEY) as the independent reference.
    expect(lineageRunId(KEY)).toBe('42c5a765-a3a0-50aa-a606-5c742eff88e9');
  });

  it('differs between two runs of one instance id (a rerun, the next rollout)', () => {
    expect(lineageRunId(lineageRunKey('rollout-churn', '2026-11-30T01:00:00.000Z'))).not.toBe(lineageRunId(lineageRunKey('rollout-churn', '2026-11-30T02:00:00.000Z')));
  });
});

describe('dataset naming', () => {
  it('names a blob as the spec names Azure Blob Storage objects: wasbs://{container}@{account}.dfs.core.windows.net and the object key', () => {
    expect(blobDataset('dpsdata', { container: 'silver', name: 'churn/version=1/part-0.parquet' }))
      .toEqual({ namespace: 'wasbs://silver@dpsdata.dfs.core.windows.net', name: 'churn/version=1/part-0.parquet' });
  });
});

describe('RunEvent builder', () => {
  it('builds a COMPLETE that the OpenLineage schema and each facet schema accept', () => {
    const event = buildRunEvent(spec());
    expect(openLineageProblems(event)).toEqual([]);
    expect(event).toMatchObject({
      eventType: 'COMPLETE', eventTime: '2026-11-30T01:00:05.000Z', schemaURL: RUN_EVENT_SCHEMA_URL,
      producer: 'https://github.com/example/dps/tree/0123456789abcdef0123',
      run: { runId: lineageRunId(KEY) },
      job: { namespace: 'dps', name: 'pipeline' },
    });
    expect(event.run.facets.errorMessage).toBeUndefined();
    expect(event.run.facets.dps_run).toMatchObject({ instanceId: 'pipeline-churn-0a1b2c3d4e5f', status: 'accepted' });
    expect(event.run.facets.processing_engine).toMatchObject({ name: 'DPS', version: '0.1.0+0123456789ab' });
  });

  it('names the job type and the source file at the deployed commit', () => {
    const { job } = buildRunEvent(spec());
    expect(job.facets.jobType).toMatchObject({ processingType: 'BATCH', integration: 'DPS', jobType: 'PIPELINE' });
    expect(job.facets.sourceCodeLocation).toMatchObject({
      type: 'git', version: '0123456789abcdef0123', path: 'src/Dps.Functions/pipeline/pipeline.orchestration.ts',
      url: 'https://github.com/example/dps/blob/0123456789abcdef0123/src/Dps.Functions/pipeline/pipeline.orchestration.ts',
    });
  });

  it('accounts for an input batch in the standard quality facet and in dps_rowAccounting, which adds up', () => {
    const [input] = buildRunEvent(spec()).inputs;
    expect(input).toMatchObject({ namespace: 'wasbs://bronze@dpsdata.dfs.core.windows.net', name: 'churn/abc' });
    expect(input.inputFacets.dataQualityMetrics).toMatchObject({ rowCount: 10, columnMetrics: {} });
    const rows = input.inputFacets.dps_rowAccounting as Record<string, number>;
    expect(rows).toMatchObject({ read: 10, accepted: 7, quarantined: 2, duplicates: 1 });
    expect(rows.accepted + rows.quarantined + rows.duplicates).toBe(rows.read);
    expect(input.facets.schema).toMatchObject({ fields: [{ name: 'id', type: 'integer', ordinal_position: 1 }, { name: 'plan', type: 'category', description: 'the plan', ordinal_position: 2 }] });
  });

  it('counts an output in outputStatistics and leaves out facets it has nothing for', () => {
    const event = buildRunEvent(spec({ inputs: [{ container: 'models', name: 'churn/abc.json' }] }));
    expect(event.outputs[0].outputFacets.outputStatistics).toMatchObject({ rowCount: 7 });
    expect(event.outputs[0].facets).toEqual({});
    expect(event.inputs[0].inputFacets).toEqual({});
    expect(openLineageProblems(event)).toEqual([]);
  });

  it('gives a FAIL an errorMessage facet with the reason', () => {
    const event = buildRunEvent(spec({ eventType: 'FAIL', error: 'missing-column: plan', outcome: { status: 'rejected', reason: 'missing-column: plan' } }));
    expect(event.run.facets.errorMessage).toMatchObject({ message: 'missing-column: plan', programmingLanguage: 'TypeScript' });
    expect(event.run.facets.dps_run).toMatchObject({ status: 'rejected', reason: 'missing-column: plan' });
    expect(openLineageProblems(event)).toEqual([]);
  });

  it('names the parent run by the id its own events carry', () => {
    const parentKey = lineageRunKey('retrain-churn', '2026-11-30T00:00:00.000Z');
    const event = buildRunEvent(spec({ eventType: 'START', job: { name: 'training', jobType: 'TRAINING', sourcePath: 'x.ts' }, parent: { job: 'retraining', key: parentKey } }));
    expect(event.run.facets.parent).toMatchObject({ run: { runId: lineageRunId(parentKey) }, job: { namespace: 'dps', name: 'retraining' } });
    expect(openLineageProblems(event)).toEqual([]);
  });

  it('without a repository still says which version wrote the event, and claims no source location', () => {
    const event = buildRunEvent(spec({ producer: { repository: '', version: '0.1.0', commit: '' } }));
    expect(event.producer).toBe('urn:dps:0.1.0');
    expect(event.job.facets.sourceCodeLocation).toBeUndefined();
    expect(event.run.facets.processing_engine).toMatchObject({ version: '0.1.0' });
    expect(openLineageProblems(event)).toEqual([]);
  });

  it('is refused by the schema when it breaks the spec (the validator is not a rubber stamp)', () => {
    const event = buildRunEvent(spec()) as unknown as Record<string, any>;
    expect(openLineageProblems({ ...event, run: { ...event.run, runId: 'not-a-uuid' } }).join('\n')).toMatch(/runId/);
    const noProducer = { ...event, run: { ...event.run, facets: { ...event.run.facets, dps_run: { instanceId: 'x' } } } };
    expect(openLineageProblems(noProducer).join('\n')).toMatch(/dps_run/);
  });

});

describe('schema versions', () => {
  it('writes against the versions vendored in tests/fixtures/openlineage', () => {
    expect(RUN_EVENT_SCHEMA_URL.startsWith(`${vendoredIds.spec}#`)).toBe(true);
    // Every facet an event can carry: a FAIL with a parent, rows in and out, from a deployment naming its repository.
    const event = buildRunEvent(spec({ eventType: 'FAIL', error: 'x', parent: { job: 'pipeline', key: 'k' } }));
    const facets = [event.run.facets, event.job.facets, ...event.inputs.flatMap((d) => [d.facets, d.inputFacets]), ...event.outputs.flatMap((d) => [d.facets, d.outputFacets])]
      .flatMap((group) => Object.values(group)).map((facet) => String(facet._schemaURL)).filter((url) => url.startsWith('https://openlineage.io/'));
    expect(new Set(facets).size).toBe(8);
    for (const url of facets) {
      const [id, pointer] = url.split('#');
      expect(vendoredIds.facets).toContain(id);
      expect(pointer).toBe(`/$defs/${id.split('/').at(-1)!.replace('.json', '')}`);
    }
  });
});
