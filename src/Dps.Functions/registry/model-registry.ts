import { odata, TableClient } from '@azure/data-tables';
import { numberedKey, numberOfKey } from '../../Dps.Domain/numbered-keys';
import type { AliasEvidence, ModelVersion } from '../../Dps.Domain/registry/model-version';
import { packJson, unpackJson } from '../storage/table-json';
import { isNotFound } from '../storage/storage-errors';
import { insertNumbered } from '../storage/numbered-rows';
import { Page, tablePage } from '../shared/paging';

const VERSION_PREFIX = 'v';

/** The model registry: versions in table `models`, aliases and their evidence history in table `aliases`. */
export class ModelRegistry {
  constructor(
    private readonly models: () => Promise<TableClient>,
    private readonly aliases: () => Promise<TableClient>,
  ) {}

  /** Registers a version under the next number (insert-only, so concurrent writers never share one). */
  async register(entry: Omit<ModelVersion, 'version'>): Promise<ModelVersion> {
    return insertNumbered(await this.models(), entry.model, VERSION_PREFIX, `a version number for model '${entry.model}'`, (n) => {
      const version: ModelVersion = { ...entry, version: n };
      return { properties: packJson('m', version), value: version };
    });
  }

  /** Every version of a model, oldest first. */
  async versions(model: string): Promise<ModelVersion[]> {
    const table = await this.models();
    const out: ModelVersion[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${model}` } })) {
      const version = unpackJson<ModelVersion>(row, 'm');
      if (version) out.push(version);
    }
    return out.sort((a, b) => a.version - b.version);
  }

  /** One page of registered models, by name, each with its first version (one row per model). */
  async page(top: number, continuationToken: string | undefined): Promise<Page<ModelVersion>> {
    const page = await tablePage<Record<string, unknown>>(await this.models(), odata`RowKey eq ${numberedKey(VERSION_PREFIX, 1)}`, top, continuationToken);
    return { items: page.items.map((row) => unpackJson<ModelVersion>(row, 'm')).filter((v): v is ModelVersion => v !== undefined), continuationToken: page.continuationToken };
  }

  /** The highest version number of a model, reading keys only; 0 when it has none. */
  async latestVersion(model: string): Promise<number> {
    const table = await this.models();
    let latest = 0;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`PartitionKey eq ${model}`, select: ['RowKey'] } })) {
      latest = Math.max(latest, numberOfKey(VERSION_PREFIX, String(row.rowKey)) ?? 0);
    }
    return latest;
  }

  /** One version, or undefined. */
  async version(model: string, version: number): Promise<ModelVersion | undefined> {
    const table = await this.models();
    try {
      return unpackJson<ModelVersion>(await table.getEntity<Record<string, unknown>>(model, numberedKey(VERSION_PREFIX, version)), 'm');
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  /** Current aliases of a model (`champion`, `challenger`, `previous`) with the evidence that moved them. */
  async aliasesOf(model: string): Promise<AliasEvidence[]> {
    const table = await this.aliases();
    const out: AliasEvidence[] = [];
    // Every row but the history (`history-...`, which sorts before `history.`).
    const filter = odata`PartitionKey eq ${model} and (RowKey lt 'history-' or RowKey ge 'history.')`;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const evidence = unpackJson<AliasEvidence>(row, 'e');
      if (evidence) out.push(evidence);
    }
    return out;
  }

  /** The champion alias of every model that has one. */
  async champions(): Promise<AliasEvidence[]> {
    const table = await this.aliases();
    const out: AliasEvidence[] = [];
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey eq ${'champion'}` } })) {
      const evidence = unpackJson<AliasEvidence>(row, 'e');
      if (evidence) out.push(evidence);
    }
    return out;
  }

  /**
   * Points an alias at a version and stores the evidence, both as the alias's current row and in its
   * history. Only the alias gate calls this, so no alias moves without evidence.
   */
  async moveAlias(evidence: AliasEvidence): Promise<void> {
    const table = await this.aliases();
    const props = packJson('e', evidence);
    await table.upsertEntity({ partitionKey: evidence.model, rowKey: evidence.alias, ...props }, 'Replace');
    await table.upsertEntity({ partitionKey: evidence.model, rowKey: `history-${evidence.at}-${evidence.alias}`, ...props }, 'Replace');
  }
}
