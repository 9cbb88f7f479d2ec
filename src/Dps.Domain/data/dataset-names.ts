/** Names become blob path segments and table keys, so they are kept simple. */
function checkName(kind: 'dataset' | 'model', name: string): string | undefined {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(name)) {
    return `${kind} name '${name.length > 80 ? `${name.slice(0, 80)}...` : name}' must be 1-63 characters of letters, digits, '.', '_' or '-', starting with a letter or digit`;
  }
  return undefined;
}

/** Checks a dataset name; undefined when the name is fine. */
export function checkDatasetName(dataset: string): string | undefined {
  return checkName('dataset', dataset);
}

/** Checks a model name (models are named after their datasets, under the same rule); undefined when fine. */
export function checkModelName(model: string): string | undefined {
  return checkName('model', model);
}

/** The deterministic pipeline instance id for a batch: the same content twice is the same run. */
export function pipelineInstanceId(dataset: string, sha256: string): string {
  return `pipeline-${dataset}-${sha256.slice(0, 12)}`;
}

