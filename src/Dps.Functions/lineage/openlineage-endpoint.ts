/** Where events are POSTed: DPS_OPENLINEAGE_URL and, when set, the Bearer key DPS_OPENLINEAGE_API_KEY. */
export interface OpenLineageEndpoint {
  url: string;
  apiKey: string;
}

/** How one event's delivery went: delivered, or failed after `attempts` tries with the last reason. */
export type Delivery = { delivered: true; attempts: number } | { delivered: false; attempts: number; reason: string };

/** Waits between attempts: three tries in about 2.5 s, short enough for an activity. */
const BACKOFF_MS = [500, 2000];
const TIMEOUT_MS = 10_000;

/** Whether an HTTP status may succeed when tried again (timeouts, throttling, server errors). */
function retryable(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** POSTs one JSON body; undefined on success, else why it failed and whether to try again. */
async function post(endpoint: OpenLineageEndpoint, body: string): Promise<{ reason: string; retry: boolean } | undefined> {
  try {
    const response = await fetch(endpoint.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(endpoint.apiKey ? { authorization: `Bearer ${endpoint.apiKey}` } : {}) },
      body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (response.ok) return undefined;
    const text = (await response.text().catch(() => '')).slice(0, 200);
    return { reason: `HTTP ${response.status}${text ? `: ${text}` : ''}`, retry: retryable(response.status) };
  } catch (error) {
    return { reason: (error as Error).message, retry: true };
  }
}

/**
 * Sends one event to the endpoint, trying again after a timeout, a refused connection, 408, 429 or a
 * 5xx; any other answer is final. Never throws: lineage is best-effort, the caller logs a failure.
 */
export async function deliver(endpoint: OpenLineageEndpoint, body: string): Promise<Delivery> {
  for (let attempt = 1; ; attempt++) {
    const failure = await post(endpoint, body);
    if (!failure) return { delivered: true, attempts: attempt };
    if (!failure.retry || attempt > BACKOFF_MS.length) return { delivered: false, attempts: attempt, reason: failure.reason };
    await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS[attempt - 1]));
  }
}
