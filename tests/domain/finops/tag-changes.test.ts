import { describe, expect, it } from 'vitest';
import { tagChangesAfter } from '../../../src/Dps.Domain/finops/tag-changes';

describe('tagChangesAfter', () => {
  it('marks a stopped resource as stopped by off-hours', () => {
    expect(tagChangesAfter('stop', { 'dps-offhours': '' })).toEqual({ set: { 'dps-stopped-by': 'offhours' }, remove: [] });
  });

  it('keeps the spelling of an existing tag name', () => {
    expect(tagChangesAfter('stop', { 'DPS-Stopped-By': 'someone' })).toEqual({ set: { 'DPS-Stopped-By': 'offhours' }, remove: [] });
  });

  it('removes the mark, whatever its spelling, after a start', () => {
    expect(tagChangesAfter('start', { 'DPS-STOPPED-BY': 'offhours', env: 'dev' })).toEqual({ set: {}, remove: ['DPS-STOPPED-BY'] });
    expect(tagChangesAfter('start', { env: 'dev' })).toEqual({ set: {}, remove: [] });
  });
});
