/** A named CPU-bound task the compute pool runs on a worker thread; the type parameters tie callers to the handler. */
export interface ComputeTask<I, O> {
  readonly name: string;
  /** Phantom fields: never set, they only carry the input and output types. */
  readonly input?: I;
  readonly output?: O;
}

/** Declares a compute task by name. */
export function computeTask<I, O>(name: string): ComputeTask<I, O> {
  return { name };
}

/** The message a worker receives: which task, with what input. */
export interface ComputeRequest {
  task: string;
  input: unknown;
}
