import { hashPii } from '../data/accepted-row';
import type { TypedValue } from '../data/contract-types';
import type { ServedPrediction } from './prediction-response';
import type { ScoringSchema } from './scoring-schema';

/** The telemetry event of one scored row (one per row on the `telemetry` hub; shadow scores are flagged). */
export interface PredictionTelemetry {
  model: string;
  version: number;
  alias: string;
  requestId: string;
  row: number;
  entity?: string;
  /** The row's inputs: PII columns hashed as silver hashes them, dropped PII left out. */
  inputs: Record<string, TypedValue>;
  prediction: number | string;
  probability?: number;
  latencyMs: number;
  at: string;
  /** True for a challenger's score of a mirrored row, which no caller saw. */
  shadow?: true;
}

/** What every event of one request shares. */
export interface TelemetryContext {
  model: string;
  requestId: string;
  at: string;
  latencyMs: number;
  piiSalt: string;
}

/** A row's inputs as telemetry may carry them: `hash` PII columns salted-hashed (as in silver), `drop` PII removed. */
export function telemetryInputs(schema: ScoringSchema, row: Record<string, TypedValue>, piiSalt: string): Record<string, TypedValue> {
  const pii = new Map(schema.passthrough.filter((p) => p.pii).map((p) => [p.name, p.pii]));
  const out: Record<string, TypedValue> = {};
  for (const [name, value] of Object.entries(row)) {
    const rule = pii.get(name);
    if (rule === 'drop') continue;
    out[name] = rule === 'hash' && value !== null ? hashPii(piiSalt, String(value)) : value;
  }
  return out;
}

/** The events of one request: `predictions[i]` answered `rows[i]`; `shadow` marks scores of mirrored rows. */
export function telemetryEvents(context: TelemetryContext, schema: ScoringSchema, rows: Record<string, TypedValue>[], predictions: ServedPrediction[], rowIndexes?: number[], shadow = false): PredictionTelemetry[] {
  return predictions.map((p, i) => {
    const row = rowIndexes ? rowIndexes[i] : i;
    const event: PredictionTelemetry = {
      model: context.model, version: p.version, alias: p.alias, requestId: context.requestId, row,
      inputs: telemetryInputs(schema, rows[row], context.piiSalt), prediction: p.prediction, latencyMs: context.latencyMs, at: context.at,
    };
    if (p.entity !== undefined) event.entity = p.entity;
    if (p.probability !== undefined) event.probability = p.probability;
    if (shadow) event.shadow = true;
    return event;
  });
}
