/** Dataset names become blob path segments and table keys, so they are kept simple; undefined when the name is fine. */
export function checkDatasetName(dataset: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(dataset)) {
    return `dataset name '${dataset}' must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit`;
  }
  return undefined;
}

/** The deterministic pipeline instance id for a batch: the same content twice is the same run. */
export function pipelineInstanceId(dataset: string, sha256: string): string {
  return `pipeline-${dataset}-${sha256.slice(0, 12)}`;
}

