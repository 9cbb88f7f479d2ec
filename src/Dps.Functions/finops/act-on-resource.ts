import type { OffHoursDecision } from '../../Dps.Domain/finops/offhours-decision';
import { OFFHOURS_TAGS, STOPPED_BY_OFFHOURS, findTag } from '../../Dps.Domain/finops/offhours-tags';
import { OffHoursDefaults, planOffHours } from '../../Dps.Domain/finops/plan-offhours';
import type { OffHoursResource } from '../../Dps.Domain/finops/resource-decision';
import type { ActionResult } from '../../Dps.Domain/finops/run-records';
import { tagChangesAfter, undoTagChanges } from '../../Dps.Domain/finops/tag-changes';
import type { FinOpsInventory } from './finops-inventory';

const stoppedByDps = (resource: OffHoursResource) => {
  const tag = findTag(resource.tags, OFFHOURS_TAGS.stoppedBy);
  return tag.ok && tag.value?.value.toLowerCase() === STOPPED_BY_OFFHOURS;
};

/**
 * Carries out one planned stop or start on the resource as it is now, idempotently: a repeat of an
 * attempt that already got through reports the same outcome without acting twice; a resource whose
 * decision changed meanwhile (snoozed during the grace period, stopped by hand, gone) is skipped with
 * the reason. A stop writes `dps-stopped-by` before stopping and a start removes it after starting,
 * so a half-done action never leaves a stopped resource that the next `on` would not start (a stop
 * that fails takes the mark off again).
 * Failures are thrown, for the orchestration's retry policy.
 */
export async function actOnResource(decision: OffHoursDecision, window: { since: string; at: string }, inventory: FinOpsInventory, defaults: OffHoursDefaults): Promise<ActionResult> {
  const base = { id: decision.id, type: decision.type, action: decision.action, wave: decision.wave, estimatedSavings: decision.estimatedSavings };
  const done = (outcome: 'stopped' | 'started') => ({ ...base, outcome, reason: decision.reason, actedAt: new Date().toISOString() });
  const skipped = (reason: string): ActionResult => ({ ...base, outcome: 'skipped', reason, estimatedSavings: undefined });
  const current = await inventory.get(decision.id);
  if (!current) return skipped('the resource no longer exists');
  if (decision.action === 'stop' && current.state === 'stopped') return stoppedByDps(current) ? done('stopped') : skipped('already stopped, not by DPS');
  if (decision.action === 'start' && current.state === 'running') {
    // Running with the mark: a start whose tag removal failed; finish it.
    if (stoppedByDps(current)) await inventory.updateTags(current, tagChangesAfter('start', current.tags));
    return done('started');
  }
  const now = planOffHours({ resources: [current], at: window.at, since: window.since, defaults });
  if (!now.ok) throw new Error(now.error);
  const recheck = now.value.decisions[0];
  if (recheck.action !== decision.action) return skipped(`no longer due: ${recheck.reason}`);
  if (decision.action === 'stop') {
    const mark = tagChangesAfter('stop', current.tags);
    await inventory.updateTags(current, mark);
    try {
      await inventory.stop(current);
    } catch (error) {
      // Take the mark off again, so a resource that could not be stopped is left as it was.
      await inventory.updateTags(current, undoTagChanges(current.tags, mark)).catch(() => undefined);
      throw error;
    }
    return done('stopped');
  }
  await inventory.start(current);
  await inventory.updateTags(current, tagChangesAfter('start', current.tags));
  return done('started');
}
