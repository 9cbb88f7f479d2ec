import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseNcrontab } from '../../src/Dps.LocalHost/triggers/ncrontab';
import { compileRoute } from '../../src/Dps.LocalHost/http/route-template';
import { matchBlobPath, resolveBindingExpression } from '../../src/Dps.LocalHost/bindings/binding-expressions';

describe('NCRONTAB', () => {
  it('finds the next hourly, stepped and weekday occurrences in UTC', () => {
    const at = new Date('2026-11-22T10:15:30Z'); // a Sunday
    expect(nextOccurrence(parseNcrontab('0 0 * * * *'), at).toISOString()).toBe('2026-11-22T11:00:00.000Z');
    expect(nextOccurrence(parseNcrontab('*/20 * * * * *'), at).toISOString()).toBe('2026-11-22T10:15:40.000Z');
    expect(nextOccurrence(parseNcrontab('0 30 9 * * 1-5'), at).toISOString()).toBe('2026-11-23T09:30:00.000Z');
    expect(nextOccurrence(parseNcrontab('0 0 0 1 Jan *'), at).toISOString()).toBe('2027-01-01T00:00:00.000Z');
  });

  it('rejects expressions with the wrong field count or out-of-range values, naming the field', () => {
    expect(() => parseNcrontab('0 * * * *')).toThrow(/six fields/);
    expect(() => parseNcrontab('0 0 25 * * *')).toThrow(/hour value '25' is outside 0-23/);
  });
});

describe('route templates and binding expressions', () => {
  it('matches parameters, constraints, optional and catch-all segments', () => {
    expect(compileRoute('api/datasets/{dataset}/ingest').match('/api/datasets/sales/ingest')).toEqual({ dataset: 'sales' });
    expect(compileRoute('api/models/{model}/versions/{v:int}/card').match('/api/models/m/versions/x/card')).toBeUndefined();
    expect(compileRoute('api/items/{id?}').match('/api/items')).toEqual({});
    expect(compileRoute('api/files/{*path}').match('/api/files/a/b/c.txt')).toEqual({ path: 'a/b/c.txt' });
    expect(compileRoute('api/health').match('/api/healthz')).toBeUndefined();
  });

  it('resolves settings and trigger metadata, and names what is missing', () => {
    expect(resolveBindingExpression('%HUB%/{dataset}', { HUB: 'audit' }, { Dataset: 'sales' })).toBe('audit/sales');
    expect(() => resolveBindingExpression('%NOPE%', {})).toThrow(/app setting 'NOPE' is not set/);
    expect(matchBlobPath('landing/{dataset}/{name}', 'landing/sales/2026/jan.csv')).toEqual({ dataset: 'sales', name: '2026/jan.csv' });
    expect(matchBlobPath('landing/{dataset}/{name}', 'bronze/sales/jan.csv')).toBeUndefined();
  });
});
