import { randomUUID } from 'node:crypto';
import type { CoreApi, RegisteredFunction } from './core-api';
import type { CoreInvocationContext, RpcInvocationRequest, RpcInvocationResponse } from './core-types';
import type { HostLogger } from './host-logger';

/** The result of one invocation through the programming model. */
export type InvocationOutcome =
  | { ok: true; invocationId: string; response: RpcInvocationResponse; durationMs: number }
  | { ok: false; invocationId: string; error: Error; durationMs: number };

/** Returns the trigger binding of a registered function. */
export function triggerOf(fn: RegisteredFunction): { name: string; type: string; [k: string]: unknown } {
  for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
    if (typeof binding.type === 'string' && /trigger$/i.test(binding.type)) return { ...binding, name, type: binding.type };
  }
  throw new Error(`Function "${fn.metadata.name}" has no trigger binding.`);
}

/**
 * Invokes registered functions the way the Node.js worker does: through the programming model's
 * InvocationModel (arguments from RPC data, hooks, the callback, then outputs back to RPC data).
 */
export class FunctionInvoker {
  constructor(
    private readonly core: CoreApi,
    private readonly logger: HostLogger,
  ) {}

  /** Runs one invocation; never throws, failures come back as an outcome. */
  async invoke(fn: RegisteredFunction, request: RpcInvocationRequest, instanceId?: string): Promise<InvocationOutcome> {
    const invocationId = randomUUID();
    const started = performance.now();
    const name = fn.metadata.name;
    const trigger = triggerOf(fn).type;
    const model = this.core.programmingModel;
    let outcome: InvocationOutcome;
    try {
      if (!model) throw new Error('The app did not register a programming model (is @azure/functions loaded?).');
      const coreCtx: CoreInvocationContext = {
        invocationId,
        request,
        metadata: { name, bindings: fn.metadata.bindings },
        state: 'invocation',
        log: (level, category, message) => {
          if (category !== 'system' || level === 'warning' || level === 'error') this.logger.user(name, level, message);
        },
      };
      const invocationModel = model.getInvocationModel(coreCtx);
      const { context, inputs } = await invocationModel.getArguments();
      const hookData: Record<string, unknown> = {};
      const pre = { invocationContext: context, inputs, functionCallback: fn.callback, hookData };
      coreCtx.state = 'preInvocationHooks';
      await this.runHooks('preInvocation', pre);
      coreCtx.state = 'invocation';
      let result: unknown;
      let failure: unknown;
      try {
        result = await invocationModel.invokeFunction(context, pre.inputs, pre.functionCallback);
      } catch (error) {
        failure = error;
      }
      coreCtx.state = 'postInvocationHooks';
      const post = { invocationContext: context, inputs: pre.inputs, result, error: failure, hookData };
      await this.runHooks('postInvocation', post);
      if (post.error !== undefined) throw post.error;
      const response = await invocationModel.getResponse(context, post.result);
      outcome = { ok: true, invocationId, response, durationMs: performance.now() - started };
    } catch (error) {
      const asError = error instanceof Error ? error : new Error(String(error));
      outcome = { ok: false, invocationId, error: asError, durationMs: performance.now() - started };
    }
    this.logger.invocation({
      functionName: name,
      invocationId,
      instanceId,
      durationMs: outcome.durationMs,
      outcome: outcome.ok ? 'succeeded' : 'failed',
      trigger,
      error: outcome.ok ? undefined : outcome.error.message,
    });
    return outcome;
  }

  private async runHooks(hookName: string, context: Record<string, unknown>): Promise<void> {
    for (const hook of this.core.hooks.get(hookName) ?? []) await hook(context);
  }
}
