import { output } from '@azure/functions';

/** The `eventHub` output binding to the `telemetry` hub: one event per scored row, sent as one batch per request. */
export const telemetryOutput = output.eventHub({ eventHubName: '%DPS_TELEMETRY_HUB%', connection: 'EventHubConnection' });
