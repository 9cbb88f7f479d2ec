import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import { resolveSettings } from './bindings/binding-expressions';
import type { QueueOptions } from './triggers/queue-listener';

/** The host.json settings the local host honours. */
export interface HostJson {
  routePrefix: string;
  hubName: string;
  queues: QueueOptions;
  eventHubBatchSize: number;
  maxConcurrentActivities: number;
  maxConcurrentOrchestrators: number;
}

type Section = Record<string, string | number | undefined>;

/** Reads host.json (defaults as the Functions host has them where it is missing or silent). */
export function readHostJson(file: string | undefined, settings: Record<string, string | undefined>): HostJson {
  const ext = (file && existsSync(file) ? parseHostJson(file).extensions : undefined) ?? {};
  const hub = String(ext.durableTask?.hubName ?? 'TestHubName');
  const seconds = (span: string | number | undefined, fallback: number) => {
    const m = span !== undefined ? /^(\d+):(\d+):(\d+)$/.exec(String(span)) : null;
    return m ? Number(m[1]) * 3600 + Number(m[2]) * 60 + Number(m[3]) : fallback;
  };
  return {
    routePrefix: String(ext.http?.routePrefix ?? 'api'),
    hubName: resolveSettings(hub, settings),
    queues: {
      maxDequeueCount: Number(ext.queues?.maxDequeueCount ?? 5),
      visibilityTimeoutSeconds: seconds(ext.queues?.visibilityTimeout, 0),
      maxPollingIntervalMs: Math.min(seconds(ext.queues?.maxPollingInterval, 2) * 1000, 2000),
      batchSize: Number(ext.queues?.batchSize ?? 16),
    },
    eventHubBatchSize: Number(ext.eventHubs?.maxEventBatchSize ?? 100),
    maxConcurrentActivities: Number(ext.durableTask?.maxConcurrentActivityFunctions ?? 10 * os.cpus().length),
    maxConcurrentOrchestrators: Number(ext.durableTask?.maxConcurrentOrchestratorFunctions ?? 10 * os.cpus().length),
  };
}

function parseHostJson(file: string): { extensions?: Record<string, Section | undefined> } {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as { extensions?: Record<string, Section | undefined> };
  } catch (error) {
    throw new Error(`${file} is not valid JSON: ${(error as Error).message}`);
  }
}
