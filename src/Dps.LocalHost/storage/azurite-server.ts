import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { GroupFlush, LokiDatabase } from './group-flush';
import { claimStateDir } from './state-lock';

/** Azurite's well-known development account; only ever valid against the local emulator. */
const DEV_ACCOUNT = 'devstoreaccount1';
const DEV_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

/** A running embedded Azurite (Blob, Queue, Table) and the connection string that reaches it. */
export interface AzuriteHandle {
  connectionString: string;
  /** Resolves once everything written before the call is in the state files (at once in memory). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

interface AzuriteServer {
  start(): Promise<void>;
  close(): Promise<void>;
  clean?(): Promise<void>;
  getHttpServerAddress(): string;
  /** Azurite's metadata stores (not a public API: a version that renames them fails the start, not silently). */
  metadataStore?: { db?: LokiDatabase };
  extentMetadataStore?: { db?: LokiDatabase };
}

/** The LokiJS databases behind the servers, for flushing on demand. */
function lokiDatabases(servers: AzuriteServer[]): LokiDatabase[] {
  const dbs = servers.flatMap((s) => [s.metadataStore?.db, s.extentMetadataStore?.db]).filter((db): db is LokiDatabase => db !== undefined);
  if (dbs.length !== 5 || dbs.some((db) => typeof db.saveDatabase !== 'function')) {
    throw new Error(`this Azurite version keeps its metadata differently (found ${dbs.length} of 5 LokiJS databases); the local host cannot make writes durable`);
  }
  return dbs;
}

/**
 * Starts Azurite's three services in this process on free loopback ports. With `location` the state
 * persists there (claimed for this process until `stop`: see claimStateDir); without it everything
 * is kept in memory (tests).
 */
export async function startAzurite(location?: string): Promise<AzuriteHandle> {
  // Required lazily so that a process that never starts storage does not pay for loading Azurite.
  const BlobConfiguration = require('azurite/dist/src/blob/BlobConfiguration').default;
  const BlobServer = require('azurite/dist/src/blob/BlobServer').default;
  const QueueConfiguration = require('azurite/dist/src/queue/QueueConfiguration').default;
  const QueueServer = require('azurite/dist/src/queue/QueueServer').default;
  const TableConfiguration = require('azurite/dist/src/table/TableConfiguration').default;
  const TableServer = require('azurite/dist/src/table/TableServer').default;
  const inMemory = location === undefined;
  const dir = location ?? '';
  if (!inMemory) mkdirSync(dir, { recursive: true });
  const release = inMemory ? () => undefined : claimStateDir(dir);
  const at = (name: string) => (inMemory ? name : path.join(dir, name));
  const host = '127.0.0.1';
  const keepAlive = 5;
  // skipApiVersionCheck: the Azure SDKs move faster than the emulator's accepted API versions.
  const blob: AzuriteServer = new BlobServer(
    new BlobConfiguration(host, 0, keepAlive, at('__azurite_db_blob__.json'), at('__azurite_db_blob_extent__.json'),
      [{ locationId: 'Default', locationPath: at('__blobstorage__'), maxConcurrency: 10 }],
      false, undefined, false, undefined, true, true, '', '', '', undefined, false, inMemory),
  );
  const queue: AzuriteServer = new QueueServer(
    new QueueConfiguration(host, 0, keepAlive, at('__azurite_db_queue__.json'), at('__azurite_db_queue_extent__.json'),
      [{ locationId: 'Default', locationPath: at('__queuestorage__'), maxConcurrency: 10 }],
      false, undefined, false, undefined, true, true, '', '', '', undefined, false, inMemory),
  );
  const table: AzuriteServer = new TableServer(
    new TableConfiguration(host, 0, keepAlive, at('__azurite_db_table__.json'), false, false, undefined, undefined,
      true, true, '', '', '', undefined, false, inMemory),
  );
  try {
    await Promise.all([blob.start(), queue.start(), table.start()]);
  } catch (error) {
    release();
    throw error;
  }
  const endpoint = (server: AzuriteServer) => `${server.getHttpServerAddress()}/${DEV_ACCOUNT}`;
  let flusher: GroupFlush | undefined;
  try {
    flusher = inMemory ? undefined : new GroupFlush(lokiDatabases([blob, queue, table]));
  } catch (error) {
    await Promise.all([blob.close(), queue.close(), table.close()]);
    release();
    throw error;
  }
  return {
    flush: () => flusher?.flush() ?? Promise.resolve(),
    connectionString:
      `DefaultEndpointsProtocol=http;AccountName=${DEV_ACCOUNT};AccountKey=${DEV_KEY};` +
      `BlobEndpoint=${endpoint(blob)};QueueEndpoint=${endpoint(queue)};TableEndpoint=${endpoint(table)};`,
    stop: async () => {
      await Promise.all([blob.close(), queue.close(), table.close()]);
      release();
    },
  };
}
