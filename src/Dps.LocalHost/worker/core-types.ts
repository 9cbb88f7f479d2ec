/**
 * The slice of the Functions worker's core API (`@azure/functions-core`) that `@azure/functions` uses.
 * The real module is injected by the Node.js language worker; the local host provides its own.
 */
export interface RpcTypedData {
  string?: string | null;
  json?: string | null;
  bytes?: Uint8Array | null;
  stream?: Uint8Array | null;
  http?: RpcHttpData | null;
  int?: number | null;
  double?: number | null;
  collectionString?: { string?: string[] } | null;
  collectionBytes?: { bytes?: Uint8Array[] } | null;
  /** A reference the worker turns into an SDK client (SDK-type bindings): here instead of the content. */
  modelBindingData?: RpcModelBindingData | null;
}

/** What an SDK-type (deferred) binding hands the worker: the source and a JSON description of the resource. */
export interface RpcModelBindingData {
  version?: string | null;
  source?: string | null;
  contentType?: string | null;
  content?: Uint8Array | null;
}

/** HTTP request or response data as the host sends it over RPC. */
export interface RpcHttpData {
  method?: string | null;
  url?: string | null;
  headers?: Record<string, string> | null;
  body?: RpcTypedData | null;
  params?: Record<string, string> | null;
  statusCode?: string | null;
  query?: Record<string, string> | null;
  cookies?: unknown[] | null;
  enableContentNegotiation?: boolean | null;
}

/** One binding of a function, as registered. */
export interface RpcBindingInfo {
  type?: string | null;
  direction?: 'in' | 'out' | 'inout' | null;
  dataType?: string | null;
  [property: string]: unknown;
}

/** What `app.*` registers for one function. */
export interface FunctionMetadata {
  name: string;
  bindings: Record<string, RpcBindingInfo>;
  retryOptions?: RpcRetryOptions;
}

/** Function-level retry policy (`retry` option of a registration). */
export interface RpcRetryOptions {
  maxRetryCount?: number;
  retryStrategy?: 'exponentialBackoff' | 'fixedDelay' | string;
  delayInterval?: { seconds?: number; nanos?: number };
  minimumInterval?: { seconds?: number; nanos?: number };
  maximumInterval?: { seconds?: number; nanos?: number };
}

/** The request part of an invocation. */
export interface RpcInvocationRequest {
  inputData?: { name: string; data?: RpcTypedData | null }[];
  triggerMetadata?: Record<string, RpcTypedData>;
  retryContext?: { retryCount: number; maxRetryCount: number; exception?: { message?: string } };
}

/** The response part of an invocation. */
export interface RpcInvocationResponse {
  invocationId?: string;
  outputData?: { name: string; data?: RpcTypedData | null }[];
  returnValue?: RpcTypedData | null;
}

export type RpcLogLevel = 'trace' | 'debug' | 'information' | 'warning' | 'error' | 'critical' | 'none';

/** What the worker hands the programming model for one invocation. */
export interface CoreInvocationContext {
  invocationId: string;
  request: RpcInvocationRequest;
  metadata: { name: string; bindings: Record<string, RpcBindingInfo> };
  state?: 'preInvocationHooks' | 'postInvocationHooks' | 'invocation';
  log(level: RpcLogLevel, category: 'user' | 'system' | 'customMetric', message: string): void;
}

/** The per-invocation model `@azure/functions` returns from its programming model. */
export interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(context: unknown, inputs: unknown[], callback: FunctionCallback): Promise<unknown>;
  getResponse(context: unknown, result: unknown): Promise<RpcInvocationResponse>;
}

/** The programming model `@azure/functions` registers with the core API. */
export interface ProgrammingModel {
  name: string;
  version: string;
  getInvocationModel(coreCtx: CoreInvocationContext): InvocationModel;
  getCapabilities(capabilities: Record<string, string>): Promise<Record<string, string>>;
}

export type FunctionCallback = (...args: unknown[]) => unknown;
export type HookCallback = (context: Record<string, unknown>) => void | Promise<void>;
