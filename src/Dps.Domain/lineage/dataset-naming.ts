/** An OpenLineage dataset's identity: where it lives (namespace) and what it is called there (name). */
export interface DatasetIdentity {
  namespace: string;
  name: string;
}

/**
 * A blob as an OpenLineage dataset, by the spec's naming conventions for Azure Blob Storage
 * (https://openlineage.io/docs/spec/naming): namespace `wasbs://{container}@{account}.dfs.core.windows.net`,
 * name the object key, so other producers reading the same blob (Spark, Databricks, Purview) name it alike.
 */
export function blobDataset(account: string, blob: { container: string; name: string }): DatasetIdentity {
  return { namespace: `wasbs://${blob.container}@${account}.dfs.core.windows.net`, name: blob.name };
}
