import type * as df from 'durable-functions';

/**
 * An orchestration's status, or undefined when no instance has that id. Only "not found" means absent:
 * any other failure of the Durable API is thrown, so a transient error is never taken for a new id.
 */
export async function findInstance(client: df.DurableClient, instanceId: string): Promise<df.DurableOrchestrationStatus | undefined> {
  try {
    return await client.getStatus(instanceId);
  } catch (error) {
    // durable-functions reports a 404 only through the message text.
    if (/HTTP 404/.test((error as Error).message)) return undefined;
    throw error;
  }
}
