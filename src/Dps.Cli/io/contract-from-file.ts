import path from 'node:path';
import { Result } from '../../Dps.Domain/result';
import type { InferredContract } from '../../Dps.Domain/data/contract-inference';
import { inferContractFromChunks } from '../../Dps.Domain/data/contract-from-chunks';
import { readFileChunks } from './record-file-reader';

/** A dataset name from a file name: `data/adult.train.csv.gz` -> `adult.train`. */
export function datasetNameOf(file: string): string {
  const base = path.basename(file).replace(/(\.gz)?$/i, '').replace(/\.(csv|tsv|txt|jsonl|ndjson|json)$/i, '');
  const cleaned = base.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  return cleaned || 'dataset';
}

/** Infers a contract from the first records of a file (gzip or not); errors name the file as `shownAs`. */
export async function inferContractFromFile(
  file: string,
  options: { dataset?: string; columns?: string[]; label?: string },
  shownAs = file,
): Promise<Result<InferredContract, string>> {
  return inferContractFromChunks(readFileChunks(file, shownAs), { ...options, dataset: options.dataset ?? datasetNameOf(file) });
}
