import { describe, expect, it } from 'vitest';
import { parseInventory } from '../../../src/Dps.Domain/finops/inventory';

describe('parseInventory', () => {
  it('reads resources and treats missing tags as none', () => {
    expect(parseInventory({ resources: [{ id: 'vm', type: 'vm', state: 'running' }] })).toEqual({
      ok: true,
      value: [{ id: 'vm', type: 'vm', state: 'running', tags: {} }],
    });
  });

  it.each([
    [[], 'resources must be an array'],
    [{ resources: {} }, 'resources must be an array'],
    [{ resources: [7] }, 'resources[0] must be an object'],
    [{ resources: [{ type: 'vm', state: 'running' }] }, 'resources[0].id must be a non-empty string'],
    [{ resources: [{ id: 'vm', state: 'running' }] }, 'resources[0].type must be a non-empty string'],
    [{ resources: [{ id: 'vm', type: 'vm', state: 'deallocated' }] }, "resources[0].state must be 'running' or 'stopped'"],
    [{ resources: [{ id: 'vm', type: 'vm', state: 'running', tags: [] }] }, 'resources[0].tags must be an object of strings'],
    [{ resources: [{ id: 'vm', type: 'vm', state: 'running', tags: { 'dps-sequence': 2 } }] }, 'resources[0].tags.dps-sequence must be a string'],
  ])('rejects %j naming the field', (json, message) => {
    expect(parseInventory(json)).toEqual({ ok: false, error: expect.stringContaining(message) });
  });
});
