import type { RegisteredFunction } from '../worker/core-api';
import type { FunctionRunner } from '../worker/function-runner';
import type { HostLogger } from '../worker/host-logger';
import { fromTypedData } from '../worker/rpc-data';
import { ConcurrencyPool } from './concurrency-pool';
import { EventType, failureFields, historyEvent, HistoryEvent } from './history';

/** Where a finished activity's TaskCompleted / TaskFailed goes. */
export type CompletionSink = (completion: HistoryEvent) => void;

/** Runs scheduled activities, at most `maxConcurrent` at once, and reports each one's completion event. */
export class ActivityDispatcher {
  private readonly pool: ConcurrencyPool;

  constructor(
    private readonly activity: (name: string) => RegisteredFunction | undefined,
    private readonly runner: FunctionRunner,
    private readonly logger: HostLogger,
    maxConcurrent: number,
  ) {
    this.pool = new ConcurrencyPool(maxConcurrent);
  }

  /** Queues the activity of a TaskScheduled event; `wanted` is asked again once it has a slot. */
  dispatch(instanceId: string, scheduled: HistoryEvent, wanted: () => boolean, sink: CompletionSink): void {
    const fn = this.activity(scheduled.Name as string);
    void this.pool.run(async () => {
      if (!wanted()) return;
      if (!fn) {
        sink(historyEvent(EventType.TaskFailed, new Date(), { TaskScheduledId: scheduled.EventId, ...failureFields(new Error(`The activity function '${scheduled.Name}' is not registered.`)) }));
        return;
      }
      const data = scheduled.Input === undefined ? undefined : { json: scheduled.Input };
      const outcome = await this.runner.run(fn, data, {}, { instanceId });
      sink(outcome.ok
        ? historyEvent(EventType.TaskCompleted, new Date(), { TaskScheduledId: scheduled.EventId, Result: JSON.stringify(fromTypedData(outcome.response.returnValue) ?? null) })
        : historyEvent(EventType.TaskFailed, new Date(), { TaskScheduledId: scheduled.EventId, ...failureFields(outcome.error) }));
    }).catch((error: Error) => this.logger.host(`activity ${scheduled.Name} of ${instanceId}: ${error.message}`));
  }
}
