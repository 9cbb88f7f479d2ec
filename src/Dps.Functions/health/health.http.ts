import { app, HttpResponseInit } from '@azure/functions';
import type { AppDependencies } from '../app-dependencies';

/**
 * Registers `GET /api/health`: anonymous; version and whether storage answers. It reads the landing
 * container's properties, which the app's data roles allow (the account's service properties are not).
 */
export function registerHealth(deps: AppDependencies): void {
  app.http('health', {
    methods: ['GET'],
    authLevel: 'anonymous',
    route: 'health',
    handler: async (): Promise<HttpResponseInit> => {
      const started = Date.now();
      let storage: { reachable: boolean; latencyMs?: number; error?: string };
      try {
        await deps.storage().blobs.getContainerClient(deps.settings.containers.landing).getProperties();
        storage = { reachable: true, latencyMs: Date.now() - started };
      } catch (error) {
        storage = { reachable: false, error: (error as Error).message.split('\n')[0] };
      }
      return {
        status: storage.reachable ? 200 : 503,
        jsonBody: { status: storage.reachable ? 'ok' : 'degraded', version: deps.version, storage },
      };
    },
  });
}
