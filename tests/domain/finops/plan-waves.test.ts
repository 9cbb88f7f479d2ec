import { describe, expect, it } from 'vitest';
import { plan, resource } from './plan-fixtures';

// Friday 2024-03-29 19:00 UTC: resources tagged `off` at 19 stop, those tagged `on` at 19 start.
const AT = '2024-03-29T19:00:00Z';
const stopper = (id: string, sequence?: string) =>
  resource(id, 'running', { 'dps-offhours': 'off=(M-F,19);tz=UTC', ...(sequence === undefined ? {} : { 'dps-sequence': sequence }) });
const starter = (id: string, sequence: string) =>
  resource(id, 'stopped', { 'dps-offhours': 'on=(M-F,19);tz=UTC', 'dps-stopped-by': 'offhours', 'dps-sequence': sequence });

describe('planOffHours: sequencing in waves', () => {
  it('stops by descending sequence, then starts by ascending sequence, then the rest with wave 0', () => {
    const resources = [
      resource('z-untagged', 'running', {}),
      starter('start-high', '1'),
      stopper('stop-default'),
      stopper('stop-b', '2'),
      resource('a-bad', 'running', { 'dps-offhours': 'off=(M-F,25)' }),
      starter('start-low', '-1'),
      stopper('stop-a', '2'),
    ];
    expect(plan(resources, AT).decisions.map((d) => [d.wave, d.id, d.action])).toEqual([
      [1, 'stop-a', 'stop'],
      [1, 'stop-b', 'stop'],
      [2, 'stop-default', 'stop'],
      [3, 'start-low', 'start'],
      [4, 'start-high', 'start'],
      [0, 'a-bad', 'skip'],
      [0, 'z-untagged', 'none'],
    ]);
  });

  it('puts resources with equal sequence numbers in one wave, ordered by id', () => {
    const decisions = plan([stopper('c', '5'), stopper('a', '5'), stopper('b', '5')], AT).decisions;
    expect(decisions.map((d) => [d.wave, d.id, d.sequence])).toEqual([
      [1, 'a', 5],
      [1, 'b', 5],
      [1, 'c', 5],
    ]);
  });

  it('numbers the first start wave 1 when nothing stops', () => {
    expect(plan([starter('s', '3')], AT).decisions.map((d) => d.wave)).toEqual([1]);
  });
});
