import type { BindingRuntime } from '../bindings/binding-runtime';
import type { RegisteredFunction } from './core-api';
import type { RpcInvocationRequest, RpcTypedData } from './core-types';
import { FunctionInvoker, InvocationOutcome, triggerOf } from './function-invoker';
import { toTypedData } from './rpc-data';

/** Runs a function end to end: input bindings, the invocation, then output bindings. */
export class FunctionRunner {
  constructor(
    private readonly invoker: FunctionInvoker,
    private readonly bindings: BindingRuntime,
  ) {}

  /**
   * Invokes `fn` with its trigger value; `metadata` feeds binding expressions and `triggerMetadata`.
   * A failure to read inputs or write outputs fails the invocation, as it does on the real host.
   */
  async run(
    fn: RegisteredFunction,
    triggerData: RpcTypedData | undefined,
    metadata: Record<string, unknown> = {},
    options: { instanceId?: string; retryContext?: RpcInvocationRequest['retryContext'] } = {},
  ): Promise<InvocationOutcome> {
    let inputData: RpcInvocationRequest['inputData'];
    try {
      inputData = await this.bindings.inputs(fn, triggerOf(fn).name, triggerData, metadata);
    } catch (error) {
      return { ok: false, invocationId: '-', error: error as Error, durationMs: 0 };
    }
    const triggerMetadata = Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k, toTypedData(v)]));
    const outcome = await this.invoker.invoke(fn, { inputData, triggerMetadata, retryContext: options.retryContext }, options.instanceId);
    if (!outcome.ok) return outcome;
    try {
      await this.bindings.applyOutputs(fn, outcome.response, metadata);
    } catch (error) {
      return { ok: false, invocationId: outcome.invocationId, error: error as Error, durationMs: outcome.durationMs };
    }
    return outcome;
  }
}
