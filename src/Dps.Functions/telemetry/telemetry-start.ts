import { app } from '@azure/functions';
import { ManagedIdentityCredential, TokenCredential } from '@azure/identity';
import { context as otelContext, propagation } from '@opentelemetry/api';

/** Where telemetry goes: Application Insights, when its connection string is set. */
export interface TelemetrySettings {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING; absent (local host, tests): nothing is started. */
  connectionString?: string;
  /** APPLICATIONINSIGHTS_AUTHENTICATION_STRING, `ClientId=...;Authorization=AAD`: Entra ID ingestion (the component refuses keys). */
  authentication?: string;
}

let started = false;

/** The managed identity `Authorization=AAD;ClientId=...` asks for, as the Functions host reads it. */
export function ingestionCredential(authentication: string | undefined): TokenCredential | undefined {
  if (!authentication) return undefined;
  const parts = new Map(authentication.split(';').map((pair) => pair.split('=')).filter((kv) => kv.length === 2).map(([k, v]) => [k.trim().toLowerCase(), v.trim()]));
  if (parts.get('authorization')?.toUpperCase() !== 'AAD') return undefined;
  const clientId = parts.get('clientid');
  return clientId ? new ManagedIdentityCredential({ clientId }) : new ManagedIdentityCredential();
}

/**
 * Starts OpenTelemetry once per process when a connection string is set: `useAzureMonitor` (traces of
 * outgoing HTTP and Azure SDK calls, the app's custom metrics, exported to Application Insights) and a
 * pre-invocation hook that runs each handler inside the trace context the Functions host passes, so the
 * worker's spans join the host's trace (HTTP -> orchestration -> activities with Durable distributed
 * tracing in host.json). The same as `@azure/functions-opentelemetry-instrumentation`'s hook, which is
 * not a dependency; logs stay with the host. Returns whether telemetry runs.
 */
export function startTelemetry(settings: TelemetrySettings): boolean {
  if (!settings.connectionString) return false;
  if (started) return true;
  started = true;
  const credential = ingestionCredential(settings.authentication);
  // Loaded only here: the distro and its instrumentations take seconds to load, which a process without
  // Application Insights (the local host, tests, the CLI) should not pay.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { useAzureMonitor } = require('@azure/monitor-opentelemetry') as typeof import('@azure/monitor-opentelemetry');
  useAzureMonitor({
    azureMonitorExporterOptions: { connectionString: settings.connectionString, ...(credential ? { credential } : {}) },
    instrumentationOptions: { http: { enabled: true }, azureSdk: { enabled: true } },
  });
  app.hook.preInvocation((hook) => {
    const trace = hook.invocationContext.traceContext;
    if (!trace?.traceParent) return;
    const parent = propagation.extract(otelContext.active(), { traceparent: trace.traceParent, tracestate: trace.traceState ?? '' });
    hook.functionHandler = otelContext.bind(parent, hook.functionHandler);
  });
  return true;
}
