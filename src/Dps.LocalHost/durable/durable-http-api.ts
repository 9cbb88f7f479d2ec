import { decodePathSegment } from '../http/route-template';
import { EventTypeName, HistoryEvent } from './history';
import { InstanceMeta, InstanceStore, isTerminal, RuntimeStatus } from './instance-store';
import type { EntityEngine } from './entity-engine';
import { DurableRequestError } from './durable-request-error';
import { OrchestrationEngine } from './orchestration-engine';

/** A plain HTTP answer the server writes out. */
export interface ApiResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

/** Where links in check-status payloads point: the public webhook base and the key query. */
export interface LinkBase {
  webhookBase: string;
  taskHub: string;
  key: string;
}

/** The management links `createCheckStatusResponse` returns, for one instance id (or a placeholder). */
export function managementUrls(links: LinkBase, id: string): Record<string, string> {
  const q = `taskHub=${encodeURIComponent(links.taskHub)}&connection=Storage&code=${encodeURIComponent(links.key)}`;
  const instance = `${links.webhookBase}/instances/${id}`;
  return {
    id,
    statusQueryGetUri: `${instance}?${q}`,
    sendEventPostUri: `${instance}/raiseEvent/{eventName}?${q}`,
    terminatePostUri: `${instance}/terminate?reason={text}&${q}`,
    rewindPostUri: `${instance}/rewind?reason={text}&${q}`,
    purgeHistoryDeleteUri: `${instance}?${q}`,
    restartPostUri: `${instance}/restart?${q}`,
    suspendPostUri: `${instance}/suspend?reason={text}&${q}`,
    resumePostUri: `${instance}/resume?reason={text}&${q}`,
  };
}

/** The JSON the Durable extension puts in a `durableClient` input binding. */
export function durableClientData(links: LinkBase, rpcBaseUrl: string): Record<string, unknown> {
  const q = `taskHub=${encodeURIComponent(links.taskHub)}&connection=Storage&code=${encodeURIComponent(links.key)}`;
  return {
    taskHubName: links.taskHub,
    creationUrls: {
      createNewInstancePostUri: `${links.webhookBase}/orchestrators/{functionName}[/{instanceId}]?code=${encodeURIComponent(links.key)}`,
      createAndWaitOnNewInstancePostUri: `${links.webhookBase}/orchestrators/{functionName}[/{instanceId}]?timeout={timeoutInSeconds}&pollingInterval={intervalInSeconds}&code=${encodeURIComponent(links.key)}`,
    },
    managementUrls: managementUrls(links, 'INSTANCEID'),
    baseUrl: links.webhookBase,
    requiredQueryStringParameters: q,
    rpcBaseUrl,
    httpBaseUrl: links.webhookBase,
    maxGrpcMessageSizeInBytes: 0,
    grpcHttpClientTimeout: '00:01:40',
  };
}

function parseJsonBody(body: string): string | undefined {
  if (body.trim() === '') return undefined;
  try {
    JSON.parse(body);
  } catch {
    throw new DurableRequestError(400, 'The request body is not valid JSON.');
  }
  return body;
}

/** A date-time query parameter as ISO text, or undefined when absent; an unreadable one is a 400 naming it. */
function timeParam(query: URLSearchParams, name: string): string | undefined {
  const raw = query.get(name);
  if (!raw) return undefined;
  const at = new Date(raw);
  if (Number.isNaN(at.getTime())) throw new DurableRequestError(400, `${name} must be a date-time like 2026-01-31T12:00:00Z, got '${raw}'.`);
  return at.toISOString();
}

function statusPayload(meta: InstanceMeta, history: HistoryEvent[] | undefined, query: URLSearchParams): Record<string, unknown> {
  const payload: Record<string, unknown> = {
    name: meta.name,
    instanceId: meta.instanceId,
    runtimeStatus: meta.status,
    input: query.get('showInput') === 'false' || meta.input === undefined ? null : JSON.parse(meta.input),
    customStatus: meta.customStatus ?? null,
    output: meta.output ?? null,
    createdTime: meta.createdTime,
    lastUpdatedTime: meta.lastUpdatedTime,
  };
  if (history) {
    const withOutput = query.get('showHistoryOutput') === 'true';
    payload.historyEvents = history
      .filter((e) => e.EventType !== 12 && e.EventType !== 13)
      .map((e) => ({
        EventType: EventTypeName[e.EventType],
        EventId: e.EventId,
        Timestamp: e.Timestamp,
        ...(e.Name ? { FunctionName: e.Name } : {}),
        ...(e.TaskScheduledId !== undefined ? { TaskScheduledId: e.TaskScheduledId } : {}),
        ...(e.FireAt ? { FireAt: e.FireAt } : {}),
        ...(e.Reason ? { Reason: e.Reason } : {}),
        ...(withOutput && e.Result !== undefined ? { Result: JSON.parse(e.Result) } : {}),
      }));
  }
  return payload;
}

/**
 * The Durable HTTP API (`/runtime/webhooks/durabletask/...` and the worker's RPC base), answered from the
 * engine and the instance store. `path` is the part after the base, without a leading slash.
 */
export class DurableHttpApi {
  constructor(
    private readonly engine: OrchestrationEngine,
    private readonly store: InstanceStore,
    private readonly entities: EntityEngine,
    private readonly links: LinkBase,
  ) {}

  /** Handles one request; maps engine errors to their HTTP status. */
  async handle(method: string, path: string, query: URLSearchParams, body: string): Promise<ApiResponse> {
    try {
      return await this.route(method.toUpperCase(), path.split('/').filter(Boolean).map(decodePathSegment), query, body);
    } catch (error) {
      if (error instanceof DurableRequestError) return { status: error.status, body: { message: error.message } };
      throw error;
    }
  }

  private async route(method: string, parts: string[], query: URLSearchParams, body: string): Promise<ApiResponse> {
    const [root, a, b, c] = parts;
    if (root === 'orchestrators' && a && method === 'POST' && parts.length <= 3) {
      const id = await this.engine.startNew(a, b, parseJsonBody(body));
      const links = managementUrls(this.links, id);
      return { status: 202, headers: { Location: links.statusQueryGetUri, 'Retry-After': '1' }, body: links };
    }
    if (root === 'instances' && !a && method === 'GET') return this.list(query);
    if (root === 'instances' && !a && method === 'DELETE') return this.purgeBy(query);
    if (root === 'instances' && a && !b && method === 'GET') return this.status(a, query);
    if (root === 'instances' && a && !b && method === 'DELETE') {
      const meta = await this.engine.meta(a);
      if (!meta) return { status: 404, body: { message: `No instance with ID '${a}' found.` } };
      if (!isTerminal(meta.status)) throw new DurableRequestError(400, `Instance '${a}' is ${meta.status}; only ended instances can be purged.`);
      await this.store.purge(a);
      return { status: 200, body: { instancesDeleted: 1 } };
    }
    if (root === 'instances' && a && b === 'raiseEvent' && c && method === 'POST') {
      await this.engine.raiseEvent(a, c, parseJsonBody(body));
      return { status: 202 };
    }
    if (root === 'instances' && a && b === 'terminate' && method === 'POST') {
      await this.engine.terminate(a, query.get('reason') ?? 'terminated');
      return { status: 202 };
    }
    if (root === 'entities' && a && b && method === 'POST') {
      const op = query.get('op');
      if (!op) throw new DurableRequestError(400, 'Signalling an entity needs ?op=OPERATION.');
      try {
        await this.entities.signal(a, b, op, parseJsonBody(body));
      } catch (error) {
        const status = (error as { status?: number }).status;
        if (status === 404 || status === 400) throw new DurableRequestError(status, (error as Error).message);
        throw error;
      }
      return { status: 202 };
    }
    if (root === 'entities' && a && b && method === 'GET') {
      const found = await this.entities.read(a, b);
      return found ? { status: 200, body: found.state ?? null } : { status: 404, body: { message: `Entity @${a}@${b} does not exist.` } };
    }
    if (root === 'instances' && a && (b === 'suspend' || b === 'resume') && method === 'POST') {
      await (b === 'suspend' ? this.engine.suspend(a, query.get('reason') ?? '') : this.engine.resume(a, query.get('reason') ?? ''));
      return { status: 202 };
    }
    if (root === 'instances' && a && b === 'restart' && method === 'POST') {
      const meta = await this.engine.meta(a);
      if (!meta) return { status: 404, body: { message: `No instance with ID '${a}' found.` } };
      const id = await this.engine.startNew(meta.name, query.get('restartWithNewInstanceId') === 'false' ? a : undefined, meta.input);
      const links = managementUrls(this.links, id);
      return { status: 202, headers: { Location: links.statusQueryGetUri, 'Retry-After': '1' }, body: links };
    }
    if (root === 'instances' && a && b === 'rewind') {
      return { status: 501, body: { message: `'${b}' is not supported by the local host (see docs/local-host.md).` } };
    }
    return { status: 404, body: { message: `No Durable API route for ${method} /${parts.join('/')}.` } };
  }

  private async status(id: string, query: URLSearchParams): Promise<ApiResponse> {
    const meta = await this.engine.meta(id);
    if (!meta) return { status: 404, body: { message: `No instance with ID '${id}' found.` } };
    const history = query.get('showHistory') === 'true' ? await this.engine.history(id) : undefined;
    const running = !isTerminal(meta.status);
    return {
      status: running ? 202 : 200,
      headers: running ? { Location: managementUrls(this.links, id).statusQueryGetUri, 'Retry-After': '1' } : undefined,
      body: statusPayload(meta, history, query),
    };
  }

  private async matching(query: URLSearchParams): Promise<InstanceMeta[]> {
    const statuses = query.get('runtimeStatus')?.split(',').filter(Boolean) as RuntimeStatus[] | undefined;
    const from = timeParam(query, 'createdTimeFrom');
    const to = timeParam(query, 'createdTimeTo');
    const prefix = query.get('instanceIdPrefix');
    return (await this.engine.metas(statuses && statuses.length > 0 ? statuses : undefined)).filter(
      (m) => (!from || m.createdTime >= from) && (!to || m.createdTime <= to) && (!prefix || m.instanceId.startsWith(prefix)),
    );
  }

  private async list(query: URLSearchParams): Promise<ApiResponse> {
    const top = Number(query.get('top') ?? 0);
    const metas = (await this.matching(query)).sort((x, y) => y.createdTime.localeCompare(x.createdTime));
    const page = top > 0 ? metas.slice(0, top) : metas;
    return { status: 200, body: page.map((m) => statusPayload(m, undefined, query)) };
  }

  private async purgeBy(query: URLSearchParams): Promise<ApiResponse> {
    const ended = (await this.matching(query)).filter((m) => isTerminal(m.status));
    for (const m of ended) await this.store.purge(m.instanceId);
    return ended.length > 0 ? { status: 200, body: { instancesDeleted: ended.length } } : { status: 404, body: { instancesDeleted: 0 } };
  }
}
