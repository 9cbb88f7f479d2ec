import path from 'node:path';
import { Result } from '../../Dps.Domain/result';
import type { InferredContract } from '../../Dps.Domain/data/contract-inference';
import { inferContractFromChunks } from '../../Dps.Domain/data/contract-from-chunks';
import { inferContractFromParquet } from '../../Dps.Domain/data/parquet-inference';
import { readParquetRowGroups } from '../../Dps.Functions/storage/parquet-reader';
import { openParquetFile } from './parquet-file';
import { readFileChunks } from './record-file-reader';

/** A dataset name from a file name: `data/adult.train.csv.gz` -> `adult.train`. */
export function datasetNameOf(file: string): string {
  const base = path.basename(file).replace(/(\.gz)?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json|parquet|pq)$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'dataset';
}

/** Infers a contract from a file (CSV or JSON Lines, gzip or not, or Parquet from its schema and rows); errors name the file as `shownAs`. */
export async function inferContractFromFile(
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  shownAs = file,
): Promise<Result<InferredContract, string>> {
  const named = { ...options, dataset: options.dataset ?? datasetNameOf(file) };
  const parquet = await openParquetFile(file, shownAs);
  if (parquet) return inferContractFromParquet(parquet.columns, readParquetRowGroups(parquet), named);
  return inferContractFromChunks(readFileChunks(file, shownAs), named);
}
