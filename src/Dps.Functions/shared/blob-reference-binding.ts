import path from 'node:path';

/** Where a blob is, as a blob trigger declared with `sdkBinding: true` receives it: no content. */
export interface BlobReference {
  connection: string;
  containerName: string;
  blobName: string;
}

/** The model-binding source the Functions host names for blob SDK-type bindings. */
const BLOB_SOURCE = 'AzureStorageBlobs';

interface ModelBindingData {
  content?: Uint8Array | null;
}

/** Reads the host's model binding data (JSON naming the connection setting, container and blob). */
function toBlobReference(data: ModelBindingData | ModelBindingData[]): BlobReference {
  const one = Array.isArray(data) ? data[0] : data;
  const json = JSON.parse(Buffer.from(one?.content ?? []).toString('utf8')) as { Connection?: string; ContainerName?: string; BlobName?: string };
  if (!json.ContainerName || !json.BlobName) throw new Error('the blob binding data names no ContainerName and BlobName');
  return { connection: json.Connection ?? '', containerName: json.ContainerName, blobName: json.BlobName };
}

/**
 * Lets blob triggers declared with `sdkBinding: true` receive a BlobReference instead of the blob's
 * bytes, so neither the host nor the worker holds a landed file in memory; the function streams it
 * itself. The official `@azure/functions-extensions-blob` registers a client factory for the same
 * source; if an app loads it first, that one stays.
 */
export function registerBlobReferenceBinding(): void {
  // Resolved from @azure/functions' own location: the worker looks factories up in that copy's singleton.
  const base = require.resolve('@azure/functions-extensions-base', { paths: [path.dirname(require.resolve('@azure/functions'))] });
  const { ResourceFactoryResolver } = require(base) as typeof import('@azure/functions-extensions-base');
  const resolver = ResourceFactoryResolver.getInstance();
  if (!resolver.hasResourceFactory(BLOB_SOURCE)) resolver.registerResourceFactory(BLOB_SOURCE, toBlobReference);
}
