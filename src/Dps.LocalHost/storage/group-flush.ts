/** A LokiJS database as Azurite keeps its metadata in (only what a flush needs). */
export interface LokiDatabase {
  autosaveDirty(): boolean;
  throttledSavePending?: boolean;
  saveDatabase(callback: (error?: Error | null) => void): void;
}

/**
 * Writes Azurite's in-memory metadata (LokiJS) to its files on demand, so a caller can wait until what
 * it just wrote survives a SIGKILL: Azurite itself saves only every 5 seconds. Flushes are group
 * commits: a caller arriving while a flush is being written waits for the next one (the one in flight
 * may have been serialised before its write), and every caller arriving meanwhile shares that next one.
 */
export class GroupFlush {
  private inFlight: Promise<void> | undefined;
  private queued: Promise<void> | undefined;

  constructor(private readonly databases: LokiDatabase[]) {}

  /** Resolves once everything written to storage before the call is in the state files. */
  flush(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.writeAll().finally(() => (this.inFlight = undefined));
      return this.inFlight;
    }
    this.queued ??= this.inFlight.catch(() => undefined).then(() => {
      this.queued = undefined;
      return this.flush();
    });
    return this.queued;
  }

  private async writeAll(): Promise<void> {
    // A database that is clean but has a save pending was serialised by that save: wait for it too.
    const due = this.databases.filter((db) => db.autosaveDirty() || db.throttledSavePending);
    await Promise.all(due.map((db) => new Promise<void>((resolve, reject) => db.saveDatabase((error) => (error ? reject(error) : resolve())))));
  }
}
