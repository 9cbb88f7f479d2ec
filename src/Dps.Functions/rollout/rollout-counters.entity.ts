import * as df from 'durable-functions';
import type { EntityContext } from 'durable-functions';
import { VersionCounters, mergeCounters } from '../../Dps.Domain/rollout/rollout-counters';

/** The entity holding a model's live rollout counters (key: the model). */
export const ROLLOUT_COUNTERS = 'rolloutCounters';

/** Counts to add: per version, in one window (`{run}/{stepIndex}`). */
export interface CounterDelta {
  window: string;
  counts: Record<string, VersionCounters>;
}

/** The entity's state: counters per window and version, the most recent windows only. */
export interface CountersState {
  windows: Record<string, Record<string, VersionCounters>>;
  /** Windows in the order they first counted, to drop the oldest. */
  order: string[];
}

/** Windows kept: a few rollouts' steps; older ones no gate reads again. */
const KEPT_WINDOWS = 16;

/** Adds a delta to the state (pure, so the entity and its test share it). */
export function addCounts(state: CountersState, delta: CounterDelta): CountersState {
  const windows = { ...state.windows };
  const order = state.order.includes(delta.window) ? state.order : [...state.order, delta.window];
  const current = { ...(windows[delta.window] ?? {}) };
  for (const [version, counts] of Object.entries(delta.counts)) current[version] = current[version] ? mergeCounters(current[version], counts) : counts;
  windows[delta.window] = current;
  for (const old of order.slice(0, Math.max(0, order.length - KEPT_WINDOWS))) delete windows[old];
  return { windows, order: order.slice(-KEPT_WINDOWS) };
}

/** Registers the counters entity: operation `add` merges a delta; many instances' signals add up here. */
export function registerRolloutCounters(): void {
  df.app.entity<CountersState>(ROLLOUT_COUNTERS, (context: EntityContext<CountersState>) => {
    const state = context.df.getState(() => ({ windows: {}, order: [] })) as CountersState;
    if (context.df.operationName === 'add') context.df.setState(addCounts(state, context.df.getInput<CounterDelta>() as CounterDelta));
    else context.df.setState(state);
  });
}

/** The entity id of a model's counters. */
export function countersEntity(model: string): df.EntityId {
  return new df.EntityId(ROLLOUT_COUNTERS, model);
}
