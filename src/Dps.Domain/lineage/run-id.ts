import { createHash } from 'node:crypto';

/** DPS's namespace for name-based run ids (a fixed random UUID, so ids never collide with other producers'). */
const DPS_RUN_NAMESPACE = '6f1b7c2e-5d3a-4e8b-9a41-2c7d0e9f8b15';

/**
 * The OpenLineage run id of a DPS run: a name-based UUID (RFC 9562 version 5) of its run key, e.g.
 * `pipeline-churn-0a1b2c3d4e5f@2026-11-30T01:00:00.000Z`. The same key always gives the same id, so
 * START and COMPLETE of one run agree, a replayed orchestration emits the same id, and a child can
 * name its parent's run without asking anyone.
 */
export function lineageRunId(runKey: string): string {
  const namespace = Buffer.from(DPS_RUN_NAMESPACE.replace(/-/g, ''), 'hex');
  const bytes = createHash('sha1').update(namespace).update(runKey, 'utf8').digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The run key of one run of an orchestration instance: instance ids repeat (a rerun, `rollout-{model}`), their start times do not. */
export function lineageRunKey(instanceId: string, startedAt: string): string {
  return `${instanceId}@${startedAt}`;
}

/** The run that started another (a training run's pipeline or retrain): its job name and run key. */
export interface LineageParent {
  job: string;
  key: string;
}
