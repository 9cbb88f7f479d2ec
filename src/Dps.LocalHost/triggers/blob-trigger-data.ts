import type { RegisteredFunction } from '../worker/core-api';
import type { RpcTypedData } from '../worker/core-types';
import { triggerOf } from '../worker/function-invoker';

/**
 * True when the function registered its blob trigger as an SDK-type binding (`sdkBinding: true`, which
 * `@azure/functions` sends as `properties.supportsDeferredBinding`): it takes a reference to the blob,
 * not its content, so the host must not download it.
 */
export function takesBlobReference(fn: RegisteredFunction): boolean {
  const properties = triggerOf(fn).properties as { supportsDeferredBinding?: unknown } | undefined;
  return String(properties?.supportsDeferredBinding).toLowerCase() === 'true';
}

/**
 * The trigger data for the blob at `container/name`: for an SDK-type binding, the model binding data
 * the Functions host sends (source `AzureStorageBlobs`, JSON naming the connection setting, container
 * and blob); otherwise the blob's bytes, read only then.
 */
export async function blobTriggerData(fn: RegisteredFunction, path: string, read: () => Promise<Buffer>): Promise<RpcTypedData> {
  if (!takesBlobReference(fn)) return { bytes: await read() };
  const slash = path.indexOf('/');
  const content = { Connection: String(triggerOf(fn).connection ?? ''), ContainerName: path.slice(0, slash), BlobName: path.slice(slash + 1) };
  return { modelBindingData: { version: '1.0', source: 'AzureStorageBlobs', contentType: 'application/json', content: Buffer.from(JSON.stringify(content), 'utf8') } };
}
