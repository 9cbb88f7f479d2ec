import { metrics } from '@opentelemetry/api';
import { DataPointType, MeterProvider, MetricReader, type Histogram } from '@opentelemetry/sdk-metrics';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSample } from '../../src/Dps.Domain/data/sample-generator';
import { ManagedIdentityCredential } from '@azure/identity';
import { METRIC_NAMES, openTelemetryMetrics } from '../../src/Dps.Functions/telemetry/app-metrics';
import { ingestionCredential, startTelemetry } from '../../src/Dps.Functions/telemetry/telemetry-start';
import { sampleCsv, startApp } from './fixtures/app-host';

/** A reader the test collects from when it wants (the SDK's own in-memory path, no exporter). */
class TestReader extends MetricReader {
  protected async onForceFlush(): Promise<void> {}
  protected async onShutdown(): Promise<void> {}
}

interface Point { name: string; unit: string; attributes: Record<string, unknown>; value: Histogram }

async function collected(reader: MetricReader): Promise<Point[]> {
  const { resourceMetrics } = await reader.collect();
  return resourceMetrics.scopeMetrics.flatMap((scope) => scope.metrics.flatMap((metric) => {
    expect(metric.dataPointType, metric.descriptor.name).toBe(DataPointType.HISTOGRAM);
    return metric.dataPoints.map((p) => ({ name: metric.descriptor.name, unit: metric.descriptor.unit, attributes: p.attributes, value: p.value as Histogram }));
  }));
}

describe('AppMetrics over OpenTelemetry', () => {
  it('records each observation under the name and dimensions the alerts query, latency marked against the predict SLO', async () => {
    const reader = new TestReader();
    const provider = new MeterProvider({ readers: [reader] });
    const port = openTelemetryMetrics(500, () => provider.getMeter('dps'));
    port.recordQuarantineShare(0.25, { dataset: 'churn' });
    port.recordRowsPerSecond(1200, { dataset: 'churn', stage: 'validate' });
    port.recordPredictionLatency(120, { model: 'churn', rows: 1 });
    port.recordPredictionLatency(900, { model: 'churn', rows: 40 });
    port.recordDriftShare(0.6, { model: 'churn' });
    port.recordRolloutWeights({ champion: 75, challenger: 25 }, { model: 'churn', version: 3 });
    port.recordSavings(12.5, { dryRun: false });
    port.recordQuarantineShare(Number.NaN, { dataset: 'churn' });
    const points = await collected(reader);
    const find = (name: string, attributes: Record<string, unknown>) => points.filter((p) => p.name === name && JSON.stringify(p.attributes) === JSON.stringify(attributes)).map((p) => [p.value.count, p.value.sum, p.unit]);
    expect(find(METRIC_NAMES.quarantineShare, { dataset: 'churn' })).toEqual([[1, 0.25, '1']]);
    expect(find('dps.rows_per_second', { dataset: 'churn', stage: 'validate' })).toEqual([[1, 1200, '{row}/s']]);
    expect(find('dps.prediction_latency_ms', { model: 'churn', rows: '1', withinSlo: 'true' })).toEqual([[1, 120, 'ms']]);
    expect(find('dps.prediction_latency_ms', { model: 'churn', rows: '11-100', withinSlo: 'false' })).toEqual([[1, 900, 'ms']]);
    expect(find('dps.drift_share', { model: 'churn' })).toEqual([[1, 0.6, '1']]);
    expect(find('dps.rollout_weight', { model: 'churn', version: '3', alias: 'challenger' })).toEqual([[1, 25, '%']]);
    expect(find('dps.rollout_weight', { model: 'churn', version: '3', alias: 'champion' })).toEqual([[1, 75, '%']]);
    expect(find('dps.savings', { dryRun: 'false' })).toEqual([[1, 12.5, '1']]);
    await provider.shutdown();
  });
});

describe('starting telemetry', () => {
  it('starts nothing without a connection string (local host, tests, CLI)', () => {
    expect(startTelemetry({})).toBe(false);
    expect(startTelemetry({ authentication: 'Authorization=AAD' })).toBe(false);
  });

  it('ingests with the managed identity the authentication string names, and with none for anything else', () => {
    expect(ingestionCredential('ClientId=0b6f5f7e-1111-2222-3333-444455556666;Authorization=AAD')).toBeInstanceOf(ManagedIdentityCredential);
    expect(ingestionCredential('authorization=aad')).toBeInstanceOf(ManagedIdentityCredential);
    expect(ingestionCredential('Authorization=Key')).toBeUndefined();
    expect(ingestionCredential('garbage')).toBeUndefined();
    expect(ingestionCredential(undefined)).toBeUndefined();
  });
});

describe('metrics of a real pipeline run on the local host', () => {
  const reader = new TestReader();
  const provider = new MeterProvider({ readers: [reader] });
  let app: Awaited<ReturnType<typeof startApp>>;

  beforeAll(async () => {
    // The global provider, as useAzureMonitor registers one in Azure; the app's meter is created on first use.
    metrics.setGlobalMeterProvider(provider);
    app = await startApp();
  }, 60_000);
  afterAll(async () => {
    await app?.host.stop();
    await provider.shutdown();
    metrics.disable();
  });

  it("records the validated batch's quarantine share and rows per second as the run reports them", async () => {
    const sample = generateSample({ rows: 1, seed: 1, drift: 0, dataset: 'metered' });
    if (!sample.ok) throw new Error(sample.error);
    // No label (nothing to train, so the run stays short) and an age bound that quarantines some rows.
    const { label: _label, ...contract } = structuredClone(sample.value.contract);
    void _label;
    contract.columns.find((c) => c.name === 'age')!.max = 40;
    contract.maxQuarantineRate = 1;
    expect((await app.call('PUT', 'datasets/metered/contract', JSON.stringify(contract))).status).toBe(200);
    const run = await app.ingest('metered', sampleCsv(200, 5));
    expect(run.stages.find((s: { name: string }) => s.name === 'validate')?.status, JSON.stringify(run.errors)).toBe('succeeded');
    expect(run.rows.quarantined).toBeGreaterThan(0);

    const points = await collected(reader);
    const share = points.filter((p) => p.name === 'dps.quarantine_share');
    expect(share.map((p) => p.attributes)).toEqual([{ dataset: 'metered' }]);
    expect(share[0].value.count).toBe(1);
    expect(share[0].value.sum).toBeCloseTo(run.rows.quarantined / run.rows.read, 12);
    const rate = points.filter((p) => p.name === 'dps.rows_per_second');
    expect(rate.map((p) => [p.attributes, p.value.count])).toEqual([[{ dataset: 'metered', stage: 'validate' }, 1]]);
    expect(rate[0].value.sum).toBeGreaterThan(0);
  }, 60_000);
});
