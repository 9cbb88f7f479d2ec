/**
 * Starts telemetry from the settings as a side effect of being imported: `index.ts` imports it first,
 * so Application Insights' instrumentations are in place before the function modules load.
 */
import { readTelemetrySettings } from '../settings';
import { startTelemetry } from './telemetry-start';

startTelemetry(readTelemetrySettings());
