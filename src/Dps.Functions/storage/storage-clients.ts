import { TableClient } from '@azure/data-tables';
import { DefaultAzureCredential, TokenCredential } from '@azure/identity';
import { BlobServiceClient } from '@azure/storage-blob';
import type { StorageConnectionSettings } from '../settings';

/** The app's storage clients; created once per process by the composition root. */
export interface StorageClients {
  blobs: BlobServiceClient;
  /** A table client; the table is created on first use. */
  table(name: string): Promise<TableClient>;
}

/** Builds storage clients from a connection string, or from service URIs with a managed identity. */
export function createStorageClients(connection: StorageConnectionSettings): StorageClients {
  const tables = new Map<string, Promise<TableClient>>();
  let blobs: BlobServiceClient;
  let tableClient: (name: string) => TableClient;
  if (connection.connectionString) {
    const cs = connection.connectionString;
    blobs = BlobServiceClient.fromConnectionString(cs);
    tableClient = (name) => TableClient.fromConnectionString(cs, name, { allowInsecureConnection: cs.includes('http://') });
  } else {
    if (!connection.blobServiceUri || !connection.tableServiceUri) {
      throw new Error('Storage is not configured: set DpsDataStorage__blobServiceUri and __tableServiceUri (or AzureWebJobsStorage locally).');
    }
    const credential: TokenCredential = new DefaultAzureCredential({ managedIdentityClientId: connection.clientId });
    blobs = new BlobServiceClient(connection.blobServiceUri, credential);
    const tableUri = connection.tableServiceUri;
    tableClient = (name) => new TableClient(tableUri, name, credential);
  }
  return {
    blobs,
    table(name: string) {
      let client = tables.get(name);
      if (!client) {
        const created = tableClient(name);
        client = created.createTable().then(() => created);
        client.catch(() => tables.delete(name));
        tables.set(name, client);
      }
      return client;
    },
  };
}
