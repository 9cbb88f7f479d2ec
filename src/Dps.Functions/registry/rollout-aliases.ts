import { rolloutAliasEvidence } from '../../Dps.Domain/registry/alias-gate';
import type { RolloutState } from '../../Dps.Domain/rollout/rollout-policy';
import type { ModelRegistry } from './model-registry';

/**
 * Moves the aliases a finished rollout decided (promoted: challenger -> champion, old champion ->
 * previous; rolled back: challenger marked rejected) through the registry's evidence gate. Re-running
 * it writes the same evidence again, so a retried activity changes nothing.
 */
export async function applyRolloutAliases(registry: ModelRegistry, state: RolloutState, who: string, at: string): Promise<void> {
  if (state.status !== 'promoted' && state.status !== 'rolledBack') return;
  const [champion, challenger] = await Promise.all([registry.version(state.model, state.champion), registry.version(state.model, state.challenger)]);
  if (!champion || !challenger) throw new Error(`model '${state.model}': v${state.champion} or v${state.challenger} is no longer registered`);
  const evidence = rolloutAliasEvidence({
    model: state.model, status: state.status, who, at, why: state.reason,
    champion: { version: champion.version, metrics: champion.metrics }, challenger: { version: challenger.version, metrics: challenger.metrics },
  });
  for (const e of evidence) await registry.moveAlias(e);
}
