import { describe, expect, it } from 'vitest';
import { hashPii } from '../../../src/Dps.Domain/data/accepted-row';
import { outcomeOf, predictionResponse, servedPrediction } from '../../../src/Dps.Domain/serving/prediction-response';
import { telemetryEvents, telemetryInputs } from '../../../src/Dps.Domain/serving/prediction-telemetry';
import type { ScoringSchema } from '../../../src/Dps.Domain/serving/scoring-schema';

const schema: ScoringSchema = {
  features: [{ name: 'age', kind: 'numeric', source: 'number' }],
  passthrough: [{ name: 'id' }, { name: 'email', pii: 'hash' }, { name: 'phone', pii: 'drop' }],
  entityKey: ['id'],
};

describe('prediction response', () => {
  it('binary: class names at the threshold when known, else 1/0; regression: the value', () => {
    expect(outcomeOf('binary', 0.7, 0.5, { positive: 'yes', negative: 'no' })).toEqual({ prediction: 'yes', probability: 0.7, probabilities: { no: 1 - 0.7, yes: 0.7 } });
    expect(outcomeOf('binary', 0.3, 0.5, { positive: 'yes', negative: 'no' }).prediction).toBe('no');
    expect(outcomeOf('binary', 0.5, 0.5)).toEqual({ prediction: 1, probability: 0.5 });
    expect(outcomeOf('binary', 0.49, 0.5)).toEqual({ prediction: 0, probability: 0.49 });
    expect(outcomeOf('regression', 12.5, 0.5)).toEqual({ prediction: 12.5 });
  });

  it('has the shape DESIGN.md fixes, with optional fields absent rather than undefined', () => {
    const rows = [
      servedPrediction({ alias: 'champion', version: 1 }, outcomeOf('binary', 0.8, 0.5)),
      servedPrediction({ alias: 'challenger', version: 2 }, outcomeOf('regression', 3, 0.5), 'c-9', { age: 0.2 }),
    ];
    const body = predictionResponse('churn', 'r-1', rows);
    expect(JSON.parse(JSON.stringify(body))).toEqual({
      model: 'churn',
      requestId: 'r-1',
      predictions: [
        { version: 1, alias: 'champion', prediction: 1, probability: 0.8 },
        { version: 2, alias: 'challenger', prediction: 3, contributions: { age: 0.2 }, entity: 'c-9' },
      ],
    });
    expect(Object.keys(body.predictions[0])).toEqual(['version', 'alias', 'prediction', 'probability']);
  });
});

describe('prediction telemetry', () => {
  it('hashes PII as silver does and leaves dropped PII out', () => {
    const inputs = telemetryInputs(schema, { age: 40, id: 7, email: 'a@b.c', phone: '555' }, 'salt');
    expect(inputs).toEqual({ age: 40, id: 7, email: hashPii('salt', 'a@b.c') });
    expect(telemetryInputs(schema, { age: 40, email: null }, 'salt')).toEqual({ age: 40, email: null });
  });

  it('writes one event per scored row with its row index, entity and latency; mirrored rows are flagged', () => {
    const rows = [{ age: 40, id: 7 }, { age: 50, id: 8 }];
    const context = { model: 'churn', requestId: 'r-1', at: '2026-01-01T00:00:00.000Z', latencyMs: 3.5, piiSalt: 's' };
    const served = [servedPrediction({ alias: 'champion', version: 1 }, { prediction: 1, probability: 0.9 }, '7'), servedPrediction({ alias: 'challenger', version: 2 }, { prediction: 0, probability: 0.1 }, '8')];
    expect(telemetryEvents(context, schema, rows, served)).toEqual([
      { model: 'churn', version: 1, alias: 'champion', requestId: 'r-1', row: 0, entity: '7', inputs: { age: 40, id: 7 }, prediction: 1, probability: 0.9, latencyMs: 3.5, at: context.at },
      { model: 'churn', version: 2, alias: 'challenger', requestId: 'r-1', row: 1, entity: '8', inputs: { age: 50, id: 8 }, prediction: 0, probability: 0.1, latencyMs: 3.5, at: context.at },
    ]);
    const mirrored = telemetryEvents(context, schema, rows, [served[1]], [1], true);
    expect(mirrored).toHaveLength(1);
    expect(mirrored[0]).toMatchObject({ row: 1, shadow: true, inputs: { age: 50, id: 8 } });
  });
});
