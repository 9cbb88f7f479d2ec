import type { TrainedModel } from '../Dps.Functions/training/training-run';

/** A pipeline run as `GET /api/pipelines/{id}` reports it. */
export interface PipelineView {
  instanceId: string;
  runtimeStatus: string;
  status?: 'accepted' | 'rejected' | 'failed';
  stages?: { name: string; status: string; durationMs?: number; detail?: string }[];
  rows?: { read: number; accepted: number; quarantined: number; duplicates: number };
  errors?: string[];
  warnings?: string[];
  model?: TrainedModel;
}

/** Thrown when the app answers with an error status; the message carries the app's own error text. */
export class AppRequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** `?k=v&...` of the defined values ('' when none). */
function queryString(query: Record<string, string | undefined>): string {
  const q = Object.entries(query).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}=${encodeURIComponent(v as string)}`).join('&');
  return q ? `?${q}` : '';
}

/** Calls the DPS HTTP API of a running host with its function key. */
export class AppClient {
  constructor(
    readonly baseUrl: string,
    readonly key: string,
  ) {}

  private async call<T>(method: string, route: string, body?: string | Buffer): Promise<T> {
    const res = await fetch(`${this.baseUrl}/api/${route}`, { method, body, headers: { 'x-functions-key': this.key } });
    const text = await res.text();
    const json = text ? (JSON.parse(text) as T & { error?: string }) : ({} as T & { error?: string });
    if (res.status >= 400) throw new AppRequestError(res.status, json.error ?? `${method} /api/${route} answered ${res.status}`);
    return json;
  }

  /** Stores a dataset's contract. */
  putContract(dataset: string, contract: unknown): Promise<{ revision: number }> {
    return this.call('PUT', `datasets/${encodeURIComponent(dataset)}/contract`, JSON.stringify(contract));
  }

  /** Uploads a test set; returns its sha256 for `ingest`. */
  uploadTestSet(dataset: string, bytes: Buffer): Promise<{ sha256: string }> {
    return this.call('POST', `datasets/${encodeURIComponent(dataset)}/testsets`, bytes);
  }

  /** Submits a batch; returns the pipeline instance id and whether it was a repeat. */
  ingest(dataset: string, bytes: Buffer, query: Record<string, string | undefined> = {}): Promise<{ instanceId: string; repeat: boolean }> {
    return this.call('POST', `datasets/${encodeURIComponent(dataset)}/ingest${queryString(query)}`, bytes);
  }

  /** The current view of a pipeline run. */
  pipeline(instanceId: string): Promise<PipelineView> {
    return this.call('GET', `pipelines/${encodeURIComponent(instanceId)}`);
  }

  /** One page of GET /api/audit/events (newest first) with the given query (`type`, `from`, `to`, `top`, `continuationToken`). */
  auditEvents<T>(query: Record<string, string | undefined>): Promise<{ items: T[]; continuationToken: string | null }> {
    return this.call('GET', `audit/events${queryString(query)}`);
  }

  /** Polls a pipeline run until it ends, reporting each view. */
  async waitForPipeline(instanceId: string, onView: (view: PipelineView) => void, intervalMs = 200): Promise<PipelineView> {
    for (;;) {
      const view = await this.pipeline(instanceId);
      onView(view);
      if (['Completed', 'Failed', 'Terminated'].includes(view.runtimeStatus)) return view;
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
