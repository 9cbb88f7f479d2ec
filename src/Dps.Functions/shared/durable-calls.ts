import type { FunctionOutput, InvocationContext } from '@azure/functions';
import * as df from 'durable-functions';
import type { OrchestrationContext, RetryOptions, Task } from 'durable-functions';

/**
 * Typed Durable calls: an activity or orchestration is a descriptor (its registered name, input and
 * output types) shared by its handler and its callers, so an orchestrator reads results typed, as
 * `const out = yield* call(context, VALIDATE_BATCH, input)`. Generators cannot type what `yield`
 * returns, so the one cast from the SDK's untyped result lives here.
 */

/** An activity: its registered name, and its input and output types. */
export interface Activity<I, O> {
  readonly name: string;
  /** Output bindings the handler writes (the audit hub). */
  readonly extraOutputs: FunctionOutput[];
  /** Type carrier only; never set. */
  readonly types?: { input: I; output: O };
}

/** An orchestration: its registered name, and its input and output types. */
export interface Orchestration<I, O> {
  readonly name: string;
  readonly types?: { input: I; output: O };
}

/** A scheduled call whose result has type O. */
export type TypedTask<O> = Task & { readonly output?: O };

/** An activity handler: what it receives and what it answers, testable without a host. */
export type ActivityHandler<I, O> = (input: I, context: InvocationContext) => Promise<O>;

/** An orchestrator function: its typed input in, its typed output returned. */
export type Orchestrator<I, O> = (context: OrchestrationContext, input: I) => Generator<Task, O, unknown>;

/** Describes an activity (`extraOutputs`: the output bindings its handler writes). */
export function activity<I, O>(name: string, extraOutputs: FunctionOutput[] = []): Activity<I, O> {
  return { name, extraOutputs };
}

/** Describes an orchestration. */
export function orchestration<I, O>(name: string): Orchestration<I, O> {
  return { name };
}

/** Schedules an activity (with a retry policy when given) without waiting for it: for fan-out. */
export function schedule<I, O>(context: OrchestrationContext, target: Activity<I, O>, input: I, retry?: RetryOptions): TypedTask<O> {
  return retry ? context.df.callActivityWithRetry(target.name, retry, input) : context.df.callActivity(target.name, input);
}

/** Calls an activity and returns its typed result: `const out = yield* call(context, ACTIVITY, input)`. */
export function* call<I, O>(context: OrchestrationContext, target: Activity<I, O>, input: I, retry?: RetryOptions): Generator<Task, O, unknown> {
  return (yield schedule(context, target, input, retry)) as O;
}

/** Waits for every task and returns their typed results in order (fails with the first failure). */
export function* all<O>(context: OrchestrationContext, tasks: TypedTask<O>[]): Generator<Task, O[], unknown> {
  return (yield context.df.Task.all(tasks)) as O[];
}

/** The result of a completed task. */
export function resultOf<O>(task: TypedTask<O>): O {
  return task.result as O;
}

/** Calls a sub-orchestration under `instanceId` and returns its typed result. */
export function* callOrchestration<I, O>(context: OrchestrationContext, target: Orchestration<I, O>, input: I, instanceId: string): Generator<Task, O, unknown> {
  return (yield context.df.callSubOrchestrator(target.name, input, instanceId)) as O;
}

/** Starts an orchestration from a client with its typed input; returns the instance id. */
export function startOrchestration<I, O>(client: df.DurableClient, target: Orchestration<I, O>, instanceId: string, input: I): Promise<string> {
  return client.startNew(target.name, { instanceId, input });
}

/** Registers an activity's handler under its name. */
export function registerActivity<I, O>(target: Activity<I, O>, handler: ActivityHandler<I, O>): void {
  df.app.activity(target.name, { extraOutputs: target.extraOutputs, handler: (input, context) => handler(input as I, context) });
}

/** Registers an orchestrator under its name; it receives the orchestration's input typed. */
export function registerOrchestration<I, O>(target: Orchestration<I, O>, orchestrator: Orchestrator<I, O>): void {
  df.app.orchestration(target.name, function* (context: OrchestrationContext) {
    return yield* orchestrator(context, context.df.getInput() as I);
  });
}
