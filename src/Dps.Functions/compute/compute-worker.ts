import type { ComputeRequest } from './compute-task';
import { runComputeHandler } from './compute-tasks';

/** The worker thread's entry (piscina calls the module's export with each request). */
export = function computeWorker(request: ComputeRequest): unknown {
  return runComputeHandler(request.task, request.input);
};
