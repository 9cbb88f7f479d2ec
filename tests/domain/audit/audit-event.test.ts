import { describe, expect, it } from 'vitest';
import { validateAuditEvent } from '../../../src/Dps.Domain/audit/audit-event';

const event = {
  id: 'finops-2024-03-29T18:00Z-vm1',
  who: 'dps-finops',
  what: 'resource.stop',
  when: '2024-03-29T18:00:05.120Z',
  where: { function: 'finopsOffHours', instanceId: 'offhours-2024032918' },
  outcome: 'stopped',
  why: 'off at 2024-03-29 19:00 Europe/Berlin',
  subjects: ['vm1'],
  details: { savings: 118, wave: 1 },
};

describe('validateAuditEvent', () => {
  it('accepts a full event and one with named subjects and no details or instance id', () => {
    expect(validateAuditEvent(event)).toEqual({ ok: true, value: event });
    const minimal = { ...event, where: { function: 'ingest' }, subjects: { dataset: 'sales' }, details: undefined };
    expect(validateAuditEvent(minimal).ok).toBe(true);
  });

  it.each([
    [{ ...event, who: undefined }, 'event.who is missing'],
    [{ ...event, what: '  ' }, 'event.what must be a non-empty string'],
    [{ ...event, id: 42 }, 'event.id must be a non-empty string'],
    [{ ...event, when: undefined }, 'event.when is missing'],
    [{ ...event, when: '2024-03-29T19:00:00+01:00' }, 'event.when must be an ISO timestamp in UTC ending in Z, got "2024-03-29T19:00:00+01:00"'],
    [{ ...event, when: '2024-02-30T00:00:00Z' }, 'event.when must be an ISO timestamp in UTC ending in Z, got "2024-02-30T00:00:00Z"'],
    [{ ...event, where: undefined }, 'event.where is missing'],
    [{ ...event, where: 'here' }, 'event.where must be an object { function, instanceId? }'],
    [{ ...event, where: {} }, 'event.where.function must be a non-empty string'],
    [{ ...event, where: { function: 'f', host: 'x' } }, 'event.where.host is not a field (fields: function, instanceId)'],
    [{ ...event, subjects: undefined }, 'event.subjects is missing'],
    [{ ...event, subjects: [] }, 'event.subjects must name at least one subject'],
    [{ ...event, subjects: ['vm1', 7] }, 'event.subjects must hold non-empty strings only'],
    [{ ...event, subjects: 'vm1' }, 'event.subjects must be a list of ids or an object of named ids'],
    [{ ...event, details: { score: NaN } }, 'event.details must be plain JSON: $.score: NaN is not a finite number'],
    [{ ...event, extra: 1 }, 'event.extra is not an audit event field'],
    [null, 'event must be an object'],
  ])('rejects %j naming the field', (value, message) => {
    expect(validateAuditEvent(value)).toEqual({ ok: false, error: expect.stringContaining(message) });
  });
});
