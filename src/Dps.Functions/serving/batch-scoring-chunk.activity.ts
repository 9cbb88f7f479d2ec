import type { TypedValue } from '../../Dps.Domain/data/contract-types';
import { servedPrediction } from '../../Dps.Domain/serving/prediction-response';
import { checkScoringRows } from '../../Dps.Domain/serving/scoring-row-check';
import type { AppDependencies } from '../app-dependencies';
import { activity, ActivityHandler } from '../shared/durable-calls';
import { BlobLineWriter, BlobRef, readBlobChunks } from '../storage/blob-io';
import { batchPredictionBlobs } from '../storage/blob-layout';
import { createJsonLinesParser } from '../../Dps.Domain/data/jsonl-parser';
import type { ChunkRow, RejectedRow } from './batch-scoring-split.activity';
import { blankMissingTokens } from './missing-tokens';
import { scoreRows } from './row-scorer';
import type { LoadedModel } from './loaded-model';
import { ParquetBlobWriter, ParquetColumn } from '../storage/parquet-writer';

/** One chunk input to score with one version. */
export interface ScoreChunkInput {
  model: string;
  version: number;
  stem: string;
  index: number;
}

/** What a chunk gave: rows scored and rejected, and where each went. */
export interface ScoredChunk {
  scored: number;
  rejected: number;
  predictions: BlobRef;
  rejectedRows: BlobRef;
}

export const SCORE_CHUNK = activity<ScoreChunkInput, ScoredChunk>('batchScoringChunk');

async function readChunk(deps: AppDependencies, ref: BlobRef): Promise<ChunkRow[]> {
  const parser = createJsonLinesParser();
  const rows: ChunkRow[] = [];
  for await (const bytes of readBlobChunks(deps.storage().blobs, ref)) for (const r of parser.push(bytes)) rows.push(r.value as unknown as ChunkRow);
  for (const r of parser.end()) rows.push(r.value as unknown as ChunkRow);
  return rows;
}

/**
 * The columns of a predictions file: predict's answer per row plus its data row number (from 1) and file
 * line. `prediction` is a number for regression and for a binary model whose class names are unknown (1/0),
 * else the class name; `probabilities` (class -> probability) is JSON.
 */
function predictionColumns(loaded: LoadedModel): ParquetColumn[] {
  const numeric = loaded.pipeline.task === 'regression' || (loaded.pipeline.task === 'binary' && !loaded.classes);
  return [
    { name: 'row', type: 'integer', nullable: false },
    { name: 'line', type: 'integer', nullable: false },
    { name: 'version', type: 'integer', nullable: false },
    { name: 'alias', type: 'category', nullable: false },
    { name: 'prediction', type: numeric ? 'number' : 'string', nullable: false },
    { name: 'probability', type: 'number', nullable: true },
    { name: 'probabilities', type: 'json', nullable: true },
    { name: 'entity', type: 'string', nullable: true },
  ];
}

/**
 * Scores one chunk with the champion the run resolved: each row is checked against the model's
 * signature on its own (as predict checks a request), so a bad row is rejected with its reasons and
 * the others are scored. Writing the same blobs again on a retry gives the same files.
 */
export function scoreChunk(deps: AppDependencies): ActivityHandler<ScoreChunkInput, ScoredChunk> {
  return async (input) => {
    const loaded = await deps.serving().model(input.model, input.version);
    const targets = batchPredictionBlobs(deps.settings.containers, input.model, input.stem);
    const rows = await readChunk(deps, targets.chunkInput(input.index));
    const accepted: Array<{ row: ChunkRow; values: Record<string, TypedValue>; entity?: string }> = [];
    const rejected = await BlobLineWriter.open(deps.storage().blobs, targets.rejected(input.index));
    for (const row of rows) {
      const [values] = blankMissingTokens(loaded.missing, [row.values]);
      const checked = checkScoringRows(loaded.schema, [values]);
      if (checked.ok) {
        accepted.push({ row, values: checked.value.rows[0], entity: checked.value.entities[0] });
        continue;
      }
      const reasons = checked.error.problems.map((p) => ({ rule: p.rule, ...(p.column !== undefined ? { column: p.column } : {}), message: p.message }));
      const line: RejectedRow = { row: row.row, line: row.line, reasons, values: row.values };
      await rejected.write(JSON.stringify(line));
    }
    const scored = scoreRows(loaded, accepted.map((a) => a.values), false);
    // A model that cannot score checked rows is a failure of the run, not of the rows: the activity fails.
    if (!scored.ok) throw new Error(scored.error);
    const columns = predictionColumns(loaded);
    const predictions = await ParquetBlobWriter.open(deps.storage().blobs, targets.predictions(input.index), columns);
    const served = { alias: 'champion', version: input.version };
    for (let i = 0; i < accepted.length; i++) {
      const { row, entity } = accepted[i];
      const p = servedPrediction(served, scored.value.outcomes[i], entity);
      // A class name is written as text even when the label's values look like numbers.
      const prediction = columns[4].type === 'number' ? p.prediction : String(p.prediction);
      await predictions.write([row.row, row.line, p.version, p.alias, prediction, p.probability ?? null, p.probabilities ?? null, p.entity ?? null]);
    }
    await predictions.close();
    const rejectedCount = await rejected.close();
    return { scored: accepted.length, rejected: rejectedCount, predictions: targets.predictions(input.index), rejectedRows: targets.rejected(input.index) };
  };
}
