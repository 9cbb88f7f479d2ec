/** The app entry Azure loads (package.json `main`): registers every function through the composition root. */
import { composeApp } from './composition-root';

composeApp();
