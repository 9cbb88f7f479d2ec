import * as df from 'durable-functions';
import type { OrchestrationContext, Task } from 'durable-functions';
import type { AppDependencies } from '../app-dependencies';
import type { AuditStamp } from '../audit/audit-output';
import { all, call, orchestration, registerActivity, registerOrchestration, schedule } from '../shared/durable-calls';
import type { BlobRef } from '../storage/blob-io';
import { SCORE_CHUNK, scoreChunk } from './batch-scoring-chunk.activity';
import { BatchScoringResult, RECORD_BATCH_SCORING, recordBatchScoring } from './batch-scoring-record.activity';
import { SPLIT_SCORING_FILE, splitScoringFile } from './batch-scoring-split.activity';

/** A landed scoring file: the model whose champion scores it, the file, its stem (names the output folder), and the chunk size. */
export interface BatchScoringInput {
  model: string;
  file: BlobRef;
  stem: string;
  chunkRows: number;
}

/** Batch scoring: split the file into chunk blobs, score the chunks in parallel with the champion, record the run. */
export const BATCH_SCORING = orchestration<BatchScoringInput, BatchScoringResult>('batchScoring');

// A storage hiccup while reading or writing a chunk is retried; the activities rewrite the same blobs.
const STORAGE_RETRY = new df.RetryOptions(2000, 3);

function* batchScoringOrchestrator(context: OrchestrationContext, input: BatchScoringInput): Generator<Task, BatchScoringResult, unknown> {
  const now = () => context.df.currentUtcDateTime.toISOString();
  const startedAt = now();
  const stamp = (): AuditStamp => ({ run: startedAt, at: now() });
  const result: BatchScoringResult = {
    instanceId: context.df.instanceId, model: input.model, file: input.file, stem: input.stem, status: 'failed',
    rows: { read: 0, scored: 0, rejected: 0 }, chunks: 0, predictions: [], rejectedRows: [], startedAt, finishedAt: startedAt,
  };
  try {
    const split = yield* call(context, SPLIT_SCORING_FILE, { model: input.model, stem: input.stem, source: input.file, chunkRows: input.chunkRows }, STORAGE_RETRY);
    if (!split.ok) {
      result.error = split.error;
    } else {
      result.version = split.version;
      result.chunks = split.chunks;
      result.rows.read = split.read;
      // Activities receive and answer blob references and counts, never rows.
      const tasks = Array.from({ length: split.chunks }, (_, i) => schedule(context, SCORE_CHUNK, { model: input.model, version: split.version, stem: input.stem, index: i + 1 }, STORAGE_RETRY));
      const chunks = yield* all(context, tasks);
      const scored = chunks.reduce((n, c) => n + c.scored, 0);
      const rejected = split.unreadable + chunks.reduce((n, c) => n + c.rejected, 0);
      result.rows = { read: split.read, scored, rejected };
      result.predictions = chunks.map((c) => c.predictions);
      result.rejectedRows = chunks.map((c) => c.rejectedRows);
      if (split.unreadable > 0) result.rejectedRows.unshift(split.rejectedRows);
      result.status = 'succeeded';
    }
  } catch (error) {
    // A run that cannot finish (the artifact does not load, storage keeps failing) is still recorded and audited, with why.
    result.error = `batch scoring failed: ${(error as Error).message}`;
  }
  result.finishedAt = now();
  yield* call(context, RECORD_BATCH_SCORING, { result, audit: stamp() });
  return result;
}

/** Registers the batch-scoring orchestration and its activities. */
export function registerBatchScoring(deps: AppDependencies): void {
  registerOrchestration(BATCH_SCORING, batchScoringOrchestrator);
  registerActivity(SPLIT_SCORING_FILE, splitScoringFile(deps));
  registerActivity(SCORE_CHUNK, scoreChunk(deps));
  registerActivity(RECORD_BATCH_SCORING, recordBatchScoring(deps));
}
