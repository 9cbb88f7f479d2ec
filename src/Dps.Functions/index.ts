/** The app entry Azure loads (package.json `main`): starts telemetry, then registers every function through the composition root. */
import './telemetry/telemetry-boot';
import { composeApp } from './composition-root';

composeApp();
