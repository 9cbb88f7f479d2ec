import { odata, TableClient, TransactionAction } from '@azure/data-tables';
import { packJson, unpackJson } from './table-json';
import { isNotFound, isWriteConflict } from './storage-errors';

const MONITOR = 'monitor';
const WINDOW_PREFIX = 'window-';

/** How many times a monitor update is re-read and re-applied after another instance changed it first. */
const MAX_ATTEMPTS = 20;

const windowKey = (index: number) => `${WINDOW_PREFIX}${String(index).padStart(10, '0')}`;

/**
 * The `drift` table, written and read here only: per model (partition) one `monitor` row holding the
 * monitor's state, replaced under its ETag so instances and partitions merge without losing rows, and
 * one `window-{n}` row per closed window with its verdict and sketch.
 */
export class DriftStore<State extends { model: string }, Window extends { index: number }> {
  constructor(private readonly table: () => Promise<TableClient>) {}

  /** A model's monitor state, or undefined before its first telemetry. */
  async monitor(model: string): Promise<State | undefined> {
    return (await this.read(model))?.state;
  }

  /**
   * Reads the monitor, applies `update` and commits its state together with the windows it closed, in
   * one transaction (same partition), only if nobody wrote the monitor in between (ETag); else reads
   * again and re-applies, so `update` must be pure. Returns what `update` returned last.
   */
  async update<R>(model: string, update: (current: State | undefined) => { state: State; windows: Window[]; result: R } | undefined): Promise<R | undefined> {
    const table = await this.table();
    for (let attempt = 1; ; attempt++) {
      const current = await this.read(model);
      const next = update(current?.state);
      if (!next) return undefined;
      const monitor = { partitionKey: model, rowKey: MONITOR, ...packJson('s', next.state) };
      const actions: TransactionAction[] = [current ? ['update', monitor, 'Replace', { etag: current.etag }] : ['create', monitor]];
      for (const w of next.windows) actions.push(['upsert', { partitionKey: model, rowKey: windowKey(w.index), ...packJson('w', w) }, 'Replace']);
      try {
        await table.submitTransaction(actions);
        return next.result;
      } catch (error) {
        if (!isWriteConflict(error) || attempt >= MAX_ATTEMPTS) throw error;
      }
    }
  }

  /** Every model that has a monitor. */
  async models(): Promise<string[]> {
    const table = await this.table();
    const out: string[] = [];
    const rows = table.listEntities<Record<string, unknown>>({ queryOptions: { filter: odata`RowKey eq ${MONITOR}`, select: ['PartitionKey'] } });
    for await (const row of rows) out.push(row.partitionKey as string);
    return out;
  }

  /** A model's closed windows, oldest first; `last` keeps only the newest ones. */
  async windows(model: string, last?: number): Promise<Window[]> {
    const table = await this.table();
    const out: Window[] = [];
    const filter = odata`PartitionKey eq ${model} and RowKey ge ${WINDOW_PREFIX} and RowKey lt ${'window.'}`;
    for await (const row of table.listEntities<Record<string, unknown>>({ queryOptions: { filter } })) {
      const window = unpackJson<Window>(row, 'w');
      if (window) out.push(window);
    }
    out.sort((a, b) => a.index - b.index);
    return last === undefined ? out : out.slice(-last);
  }

  private async read(model: string): Promise<{ state: State; etag: string } | undefined> {
    const table = await this.table();
    try {
      const row = await table.getEntity<Record<string, unknown>>(model, MONITOR);
      const state = unpackJson<State>(row, 's');
      return state ? { state, etag: row.etag } : undefined;
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }
}
