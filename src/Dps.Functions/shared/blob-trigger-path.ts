import type { InvocationContext } from '@azure/functions';

/** The `container/name` path of the blob that triggered the invocation, or undefined (an admin call without one). */
export function blobTriggerPath(context: InvocationContext): string | undefined {
  const meta = context.triggerMetadata as { blobTrigger?: unknown; BlobTrigger?: unknown } | undefined;
  const path = meta?.blobTrigger ?? meta?.BlobTrigger;
  return typeof path === 'string' ? path : undefined;
}
