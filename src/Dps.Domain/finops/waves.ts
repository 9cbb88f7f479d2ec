import { OffHoursDecision } from './offhours-decision';

const byId = (a: OffHoursDecision, b: OffHoursDecision) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

/**
 * Puts decisions in execution order and numbers their waves: stops by descending sequence, then
 * starts by ascending sequence, one wave per distinct sequence (its members run in parallel), waves
 * counted from 1; `none` and `skip` follow with wave 0. Within a wave, order is by resource id.
 */
export function orderInWaves(decisions: Omit<OffHoursDecision, 'wave'>[]): OffHoursDecision[] {
  const ordered: OffHoursDecision[] = [];
  const phases: [OffHoursDecision['action'], 1 | -1][] = [
    ['stop', -1],
    ['start', 1],
  ];
  for (const [action, direction] of phases) {
    const acting = decisions.filter((d) => d.action === action);
    const sequences = [...new Set(acting.map((d) => d.sequence))].sort((a, b) => direction * (a - b));
    for (const sequence of sequences) {
      const wave = (ordered.at(-1)?.wave ?? 0) + 1;
      ordered.push(...acting.filter((d) => d.sequence === sequence).map((d) => ({ ...d, wave })).sort(byId));
    }
  }
  const passive = decisions.filter((d) => d.action !== 'stop' && d.action !== 'start');
  return [...ordered, ...passive.map((d) => ({ ...d, wave: 0 })).sort(byId)];
}
