import type { DataContract } from '../data/contract-types';
import type { FeaturePipeline, FeatureSpec } from '../ml/feature-pipeline';

/** A column a request may carry that the model does not read (key, label, personal data, free text). */
export interface PassthroughColumn {
  name: string;
  /** Personal data: `hash` is hashed in telemetry as in silver, `drop` never leaves the request. */
  pii?: 'hash' | 'drop';
}

/** What a scoring row is checked against: the model's signature plus the columns it may also carry. */
export interface ScoringSchema {
  features: FeatureSpec[];
  passthrough: PassthroughColumn[];
  /** Columns whose values name the row's entity (the contract's primary key); empty when there is none. */
  entityKey: string[];
}

/**
 * The scoring schema of a model: features from its pipeline (the signature); the columns the pipeline
 * excluded, and with the training contract also the dropped PII columns, may be sent and are not read.
 */
export function scoringSchemaOf(pipeline: Pick<FeaturePipeline, 'features' | 'excluded'>, contract?: Pick<DataContract, 'columns' | 'primaryKey'>): ScoringSchema {
  const declared = new Map((contract?.columns ?? []).map((c) => [c.name, c]));
  const passthrough: PassthroughColumn[] = pipeline.excluded.map((e) => {
    const pii = declared.get(e.name)?.pii ?? (e.reason === 'personal data' ? 'hash' : undefined);
    return pii ? { name: e.name, pii } : { name: e.name };
  });
  const known = new Set([...pipeline.features.map((f) => f.name), ...passthrough.map((p) => p.name)]);
  for (const column of contract?.columns ?? []) {
    if (!known.has(column.name) && column.pii === 'drop') passthrough.push({ name: column.name, pii: 'drop' });
  }
  const entityKey = contract?.primaryKey ?? pipeline.excluded.filter((e) => e.reason === 'primary key').map((e) => e.name);
  return { features: pipeline.features, passthrough, entityKey: [...entityKey] };
}
