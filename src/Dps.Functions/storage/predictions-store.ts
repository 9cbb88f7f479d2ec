import { odata, TableClient, TableEntity } from '@azure/data-tables';
import type { LabelledOutcome, StoredPrediction } from '../../Dps.Domain/serving/feedback';
import { isNotFound, isWriteConflict } from './storage-errors';
import { encodedKey, upsertInBatches } from './table-batches';
import { packJson, unpackJson } from './table-json';

/** A served (or mirrored) score as feedback joins it, with the rollout window it was counted in. */
export interface RecordedPrediction extends StoredPrediction {
  window?: string;
}

const rowKey = (row: number, version: number): string => `${String(row).padStart(5, '0')}-${version}`;
const requestPartition = (model: string, requestId: string): string => `p|${model}|${requestId}`;
const entityPartition = (model: string): string => `e|${model}`;
const labelPartition = (model: string, requestId: string): string => `l|${model}|${requestId}`;

/** Scores per request entity: a 10,000-row request with a mirror is 10 entities, each well under the 1 MB entity limit. */
const SCORES_PER_ENTITY = 2000;

/** One score in a request entity: row, version, alias, score, 1 when mirrored, the entity or null. */
type PackedScore = [number, number, string, number, 0 | 1, string | null];

/** A request entity: what every score of the request shares, and the scores. */
interface PackedRequest {
  requestId: string;
  at: string;
  window?: string;
  scores: PackedScore[];
}

function pack(p: RecordedPrediction): PackedScore {
  return [p.row, p.version, p.alias, p.score, p.shadow ? 1 : 0, p.entity ?? null];
}

function unpack(request: PackedRequest): RecordedPrediction[] {
  return request.scores.map(([row, version, alias, score, shadow, entity]) => {
    const p: RecordedPrediction = { requestId: request.requestId, row, version, alias, score, at: request.at };
    if (entity !== null) p.entity = entity;
    if (shadow === 1) p.shadow = true;
    if (request.window !== undefined) p.window = request.window;
    return p;
  });
}

/** A row written before requests were packed: one score per row. */
function fromRow(row: Record<string, unknown>): RecordedPrediction {
  const p: RecordedPrediction = {
    requestId: String(row.requestId), row: Number(row.row), version: Number(row.version), alias: String(row.alias), score: Number(row.score), at: String(row.at),
  };
  if (typeof row.entity === 'string') p.entity = row.entity;
  if (row.shadow === true) p.shadow = true;
  if (typeof row.window === 'string') p.window = row.window;
  return p;
}

async function upsertAll(table: TableClient, entities: TableEntity<Record<string, unknown>>[]): Promise<void> {
  // One entity is one plain write: a batch transaction costs more to send and to parse.
  if (entities.length === 1) await table.upsertEntity(entities[0], 'Replace');
  else if (entities.length > 1) await upsertInBatches(table, entities);
}

/**
 * Table `feedback`: what delayed labels join to. Each request's scores packed in one entity per 2,000
 * scores (`p|model|request`, row keys `000`, `001`, ...: one write for most requests), each entity's
 * latest served row (`e|model`), and the labels already counted (`l|model|request`), so a label sent
 * twice counts once.
 */
export class PredictionsStore {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** Records one request's scores (all of one request id), and for entities their latest served row. */
  async record(model: string, predictions: RecordedPrediction[]): Promise<void> {
    if (predictions.length === 0) return;
    const { requestId, at, window } = predictions[0];
    const requests: TableEntity<Record<string, unknown>>[] = [];
    for (let i = 0; i < predictions.length; i += SCORES_PER_ENTITY) {
      const packed: PackedRequest = { requestId, at, ...(window !== undefined ? { window } : {}), scores: predictions.slice(i, i + SCORES_PER_ENTITY).map(pack) };
      requests.push({ partitionKey: requestPartition(model, requestId), rowKey: String(i / SCORES_PER_ENTITY).padStart(3, '0'), ...packJson('s', packed) });
    }
    const latest = predictions.filter((p) => p.entity !== undefined && !p.shadow)
      .map((p) => ({ partitionKey: entityPartition(model), rowKey: encodedKey(p.entity as string), requestId: p.requestId, row: p.row, at: p.at }));
    const table = await this.table();
    await Promise.all([upsertAll(table, requests), upsertAll(table, latest)]);
  }

  /** The scores of the given requests. */
  async ofRequests(model: string, requestIds: string[]): Promise<RecordedPrediction[]> {
    const table = await this.table();
    const lists = await Promise.all([...new Set(requestIds)].map(async (requestId) => {
      const out: RecordedPrediction[] = [];
      const filter = odata`PartitionKey eq ${requestPartition(model, requestId)}`;
      for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
        const packed = unpackJson<PackedRequest>(row, 's');
        if (packed) out.push(...unpack(packed));
        else out.push(fromRow(row));
      }
      return out;
    }));
    return lists.flat();
  }

  /** Each entity's latest served row (request id and row index), when it has one. */
  async latestOfEntities(model: string, entities: string[]): Promise<Map<string, { requestId: string; row: number }>> {
    const table = await this.table();
    const found = new Map<string, { requestId: string; row: number }>();
    await Promise.all([...new Set(entities)].map(async (entity) => {
      try {
        const row = await table.getEntity<Record<string, unknown>>(entityPartition(model), encodedKey(entity));
        found.set(entity, { requestId: String(row.requestId), row: Number(row.row) });
      } catch (error) {
        if (!isNotFound(error)) throw error;
      }
    }));
    return found;
  }

  /**
   * Records labelled outcomes; returns those not recorded before (a repeated label is not counted twice).
   * Each request's labels go in one insert-only transaction; when one of them exists already, that
   * request's labels are inserted one by one to find which are new.
   */
  async recordOutcomes(model: string, outcomes: LabelledOutcome[]): Promise<LabelledOutcome[]> {
    const table = await this.table();
    const byRequest = new Map<string, LabelledOutcome[]>();
    for (const o of outcomes) byRequest.set(o.requestId, [...(byRequest.get(o.requestId) ?? []), o]);
    const lists = await Promise.all([...byRequest.values()].map(async (list) => {
      const unique = [...new Map(list.map((o) => [rowKey(o.row, o.version), o])).values()];
      if (unique.length === list.length && list.length <= 100) {
        try {
          await table.submitTransaction(list.map((o) => ['create', { partitionKey: labelPartition(model, o.requestId), rowKey: rowKey(o.row, o.version), label: o.label, score: o.score }]));
          return list;
        } catch (error) {
          if (!isWriteConflict(error)) throw error;
        }
      }
      return this.createEach(table, model, list);
    }));
    return lists.flat();
  }

  private async createEach(table: TableClient, model: string, outcomes: LabelledOutcome[]): Promise<LabelledOutcome[]> {
    const fresh = await Promise.all(outcomes.map(async (o) => {
      try {
        await table.createEntity({ partitionKey: labelPartition(model, o.requestId), rowKey: rowKey(o.row, o.version), label: o.label, score: o.score });
        return o;
      } catch (error) {
        if (isWriteConflict(error)) return undefined;
        throw error;
      }
    }));
    return fresh.filter((o): o is LabelledOutcome => o !== undefined);
  }
}
