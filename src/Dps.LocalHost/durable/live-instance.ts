import type { HistoryEvent } from './history';
import type { InboxItem, InstanceMeta } from './instance-store';

/** An orchestration instance the engine is driving: its committed history and what is still to replay. */
export interface LiveInstance {
  meta: InstanceMeta;
  history: HistoryEvent[];
  /** New events not yet shown to the orchestrator. */
  pending: HistoryEvent[];
  /** Inbox row keys of pending events that were persisted. */
  pendingInboxKeys: string[];
  appliedKeys: Set<string>;
  running: boolean;
  /** Episodes in a row whose commit failed (retried, then the instance fails). */
  commitFailures: number;
  /** Serialises episodes with terminate so a commit never overwrites a newer state. */
  lock: Promise<void>;
  timers: Map<number, NodeJS.Timeout>;
  settled: Promise<void>;
  settle: () => void;
}

/** Builds the in-memory state of an instance from its stored meta, history and unconsumed inbox. */
export function liveInstance(meta: InstanceMeta, history: HistoryEvent[], inbox: InboxItem[]): LiveInstance {
  let settle!: () => void;
  const settled = new Promise<void>((resolve) => (settle = resolve));
  const appliedKeys = new Set(history.filter((e) => e.Key).map((e) => e.Key as string));
  const fresh = inbox.filter((i) => !appliedKeys.has(i.key));
  return {
    meta, history, pending: fresh.map((i) => i.event), pendingInboxKeys: inbox.map((i) => i.key),
    appliedKeys, running: false, commitFailures: 0, lock: Promise.resolve(), timers: new Map(), settled, settle,
  };
}

/** Runs `job` after every earlier job on the instance; a failed job does not block later ones. */
export function withInstanceLock(inst: LiveInstance, job: () => Promise<void>): Promise<void> {
  const run = inst.lock.then(job);
  inst.lock = run.catch(() => undefined);
  return run;
}
