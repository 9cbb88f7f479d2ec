import type { HostLogger } from '../worker/host-logger';
import type { InstanceStore } from './instance-store';

/** Seven days, the default retention of finished instances. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3600 * 1000;

/**
 * Purges finished instances (Completed, Failed, Terminated) whose last update is older than the
 * retention, as the Durable extension's history cleanup does: at start, then every retention period
 * (at least a second, at most an hour).
 */
export class InstanceRetention {
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: InstanceStore,
    private readonly retentionMs: number,
    private readonly logger: HostLogger,
  ) {}

  /** Starts sweeping in the background. */
  start(): void {
    const every = Math.min(Math.max(this.retentionMs, 1000), 3_600_000);
    const tick = () => {
      this.sweeping = this.sweep(new Date())
        .then((n) => (n > 0 ? this.logger.host(`purged ${n} finished instance(s) older than the retention`) : undefined))
        .catch((error: Error) => this.logger.host(`purging finished instances: ${error.message}`));
    };
    tick();
    this.timer = setInterval(tick, every);
  }

  /** Stops sweeping; resolves once a sweep in progress is done. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    await this.sweeping;
  }

  /** Purges the finished instances last updated before `now` minus the retention; returns how many. */
  async sweep(now: Date): Promise<number> {
    const cutoff = new Date(now.getTime() - this.retentionMs).toISOString();
    const old = (await this.store.listMetas(['Completed', 'Failed', 'Terminated'])).filter((m) => m.lastUpdatedTime < cutoff);
    for (const meta of old) await this.store.purge(meta.instanceId);
    return old.length;
  }
}
