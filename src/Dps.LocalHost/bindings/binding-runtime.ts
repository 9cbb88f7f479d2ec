import type { RegisteredFunction } from '../worker/core-api';
import type { RpcBindingInfo, RpcInvocationRequest, RpcInvocationResponse, RpcTypedData } from '../worker/core-types';
import { fromTypedData, toTypedData, typedDataToBytes } from '../worker/rpc-data';
import type { EventHubBroker } from '../triggers/event-hub-broker';
import { resolveBindingExpression } from './binding-expressions';
import type { StorageBindings } from './storage-bindings';

type InputData = NonNullable<RpcInvocationRequest['inputData']>;

/**
 * Serves a function's extra input bindings before an invocation and its output bindings after it:
 * blob and table against storage, queue messages, Event Hubs events, and the durable client payload.
 */
export class BindingRuntime {
  constructor(
    private readonly settings: Record<string, string | undefined>,
    private readonly storage: StorageBindings,
    private readonly hub: EventHubBroker,
    private readonly durableClientData: () => Record<string, unknown>,
  ) {}

  /** Builds the invocation's inputData: the trigger's value plus every extra input binding. */
  async inputs(fn: RegisteredFunction, triggerName: string, triggerData: RpcTypedData | undefined, metadata: Record<string, unknown>): Promise<InputData> {
    const inputs: InputData = [{ name: triggerName, data: triggerData }];
    for (const [name, binding] of Object.entries(fn.metadata.bindings)) {
      if (binding.direction !== 'in' || name === triggerName) continue;
      inputs.push({ name, data: await this.readInput(binding, metadata) });
    }
    return inputs;
  }

  /** Writes every output binding the invocation set (and a non-HTTP `$return` binding). */
  async applyOutputs(fn: RegisteredFunction, response: RpcInvocationResponse, metadata: Record<string, unknown>): Promise<void> {
    const outputs = [...(response.outputData ?? [])];
    const returnBinding = fn.metadata.bindings.$return;
    if (returnBinding && returnBinding.type !== 'http' && response.returnValue) outputs.push({ name: '$return', data: response.returnValue });
    for (const { name, data } of outputs) {
      const binding = fn.metadata.bindings[name];
      if (!binding || data === undefined || data === null) continue;
      await this.writeOutput(binding, data, metadata);
    }
  }

  private resolve(template: unknown, metadata: Record<string, unknown>): string {
    return resolveBindingExpression(String(template), this.settings, metadata);
  }

  private async readInput(binding: RpcBindingInfo, metadata: Record<string, unknown>): Promise<RpcTypedData | undefined> {
    switch (binding.type) {
      case 'durableClient':
      case 'orchestrationClient':
        return { json: JSON.stringify(this.durableClientData()) };
      case 'blob': {
        const bytes = await this.storage.readBlob(this.resolve(binding.path, metadata));
        return bytes === undefined ? undefined : { bytes };
      }
      case 'table': {
        const optional = (v: unknown) => (v === undefined ? undefined : this.resolve(v, metadata));
        const value = await this.storage.readTable(this.resolve(binding.tableName, metadata), {
          partitionKey: optional(binding.partitionKey),
          rowKey: optional(binding.rowKey),
          filter: optional(binding.filter),
          take: typeof binding.take === 'number' ? binding.take : undefined,
        });
        return toTypedData(value);
      }
      default:
        throw new Error(`Input binding type '${binding.type}' is not supported by the local host.`);
    }
  }

  private async writeOutput(binding: RpcBindingInfo, data: RpcTypedData, metadata: Record<string, unknown>): Promise<void> {
    switch (binding.type) {
      case 'blob':
        return this.storage.writeBlob(this.resolve(binding.path, metadata), typedDataToBytes(data));
      case 'table': {
        const value = fromTypedData(data);
        const entities = (Array.isArray(value) ? value : [value]) as Record<string, unknown>[];
        const optional = (v: unknown) => (v === undefined ? undefined : this.resolve(v, metadata));
        return this.storage.writeTable(this.resolve(binding.tableName, metadata), entities, {
          partitionKey: optional(binding.partitionKey),
          rowKey: optional(binding.rowKey),
        });
      }
      case 'queue': {
        const value = fromTypedData(data);
        return this.storage.enqueue(this.resolve(binding.queueName, metadata), Array.isArray(value) ? value : [value]);
      }
      case 'eventHub': {
        const value = fromTypedData(data);
        const bodies = Array.isArray(value) ? value : [value];
        return this.hub.publish(this.resolve(binding.eventHubName, metadata), bodies.map((b) => (Buffer.isBuffer(b) ? b.toString('utf8') : b)));
      }
      default:
        throw new Error(`Output binding type '${binding.type}' is not supported by the local host.`);
    }
  }
}
