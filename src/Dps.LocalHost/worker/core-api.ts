import Module from 'node:module';
import type { FunctionCallback, FunctionMetadata, HookCallback, ProgrammingModel, RpcLogLevel } from './core-types';

/** A function the app registered: its metadata and the callback `@azure/functions` wrapped. */
export interface RegisteredFunction {
  metadata: FunctionMetadata;
  callback: FunctionCallback;
}

type LogSink = (level: RpcLogLevel, category: string, message: string) => void;

/**
 * Process-wide stand-in for `@azure/functions-core`: the Node.js worker injects one such module per
 * process, and `@azure/functions` caches it, so registrations live here for the life of the process.
 */
class CoreApi {
  readonly version = '3.10.1';
  readonly hostVersion = '4.1000.0';
  programmingModel: ProgrammingModel | undefined;
  readonly functions = new Map<string, RegisteredFunction>();
  readonly hooks = new Map<string, HookCallback[]>();
  logSink: LogSink = () => undefined;

  setProgrammingModel(model: ProgrammingModel): void {
    this.programmingModel = model;
  }

  getProgrammingModel(): ProgrammingModel | undefined {
    return this.programmingModel;
  }

  registerFunction(metadata: FunctionMetadata, callback: FunctionCallback): { dispose(): void } {
    if (this.functions.has(metadata.name)) {
      throw new Error(`A function named "${metadata.name}" is already registered.`);
    }
    this.functions.set(metadata.name, { metadata, callback });
    return { dispose: () => this.functions.delete(metadata.name) };
  }

  registerHook(hookName: string, callback: HookCallback): { dispose(): void } {
    const list = this.hooks.get(hookName) ?? [];
    list.push(callback);
    this.hooks.set(hookName, list);
    return { dispose: () => list.splice(list.indexOf(callback), 1) };
  }

  log(level: RpcLogLevel, category: string, message: string): void {
    this.logSink(level, category, message);
  }
}

const MODULE_NAME = '@azure/functions-core';
const coreApi = new CoreApi();
let installed = false;

/** Makes `require('@azure/functions-core')` resolve to the local host's core API, as the worker does. */
export function installCoreApi(): CoreApi {
  if (installed) return coreApi;
  const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const originalLoad = moduleWithLoad._load;
  moduleWithLoad._load = function load(request: string, ...rest: unknown[]) {
    if (request === MODULE_NAME) return coreApi;
    return originalLoad.call(this, request, ...rest);
  };
  installed = true;
  return coreApi;
}

export type { CoreApi };
