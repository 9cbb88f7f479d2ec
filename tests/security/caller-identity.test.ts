import { createHash } from 'node:crypto';
import { HttpRequest } from '@azure/functions';
import { describe, expect, it } from 'vitest';
import { callerIdentity } from '../../src/Dps.Functions/audit/caller-identity';

const principal = (claims: Array<{ typ: string; val: string }>, nameTyp = 'name') => Buffer.from(JSON.stringify({ auth_typ: 'aad', name_typ: nameTyp, claims })).toString('base64');
const request = (headers: Record<string, string>, query = '') => new HttpRequest({ method: 'POST', url: `http://127.0.0.1/api/x${query}`, headers });
const fingerprint = (key: string) => `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}`;

describe('caller identity', () => {
  const easyAuth = { 'x-ms-client-principal': principal([{ typ: 'name', val: 'ada@contoso.com' }]), 'x-ms-client-principal-name': 'ada@contoso.com', 'x-functions-key': 'k1' };

  it('takes the platform principal only when the deployment trusts it (Easy Auth on)', () => {
    expect(callerIdentity(request(easyAuth), { trustPlatformPrincipal: true })).toBe('ada@contoso.com');
    expect(callerIdentity(request(easyAuth), { trustPlatformPrincipal: false })).toBe(fingerprint('k1'));
  });

  it('never takes the plain name header, which any key holder can send', () => {
    const spoofed = { 'x-ms-client-principal-name': 'ceo@contoso.com', 'x-ms-client-principal-id': 'ceo' };
    expect(callerIdentity(request(spoofed, '?code=k2'), { trustPlatformPrincipal: true })).toBe(fingerprint('k2'));
    expect(callerIdentity(request(spoofed), { trustPlatformPrincipal: false })).toBe('system');
  });

  it('reads the name claim the principal declares, or a common one, and falls back on garbage', () => {
    const upn = principal([{ typ: 'roles', val: 'admin' }, { typ: 'upn', val: 'bob@contoso.com' }], 'custom-name');
    expect(callerIdentity(request({ 'x-ms-client-principal': upn }), { trustPlatformPrincipal: true })).toBe('bob@contoso.com');
    for (const bad of ['%%%not-base64', Buffer.from('[1,2]').toString('base64'), principal([])]) {
      expect(callerIdentity(request({ 'x-ms-client-principal': bad, 'x-functions-key': 'k3' }), { trustPlatformPrincipal: true })).toBe(fingerprint('k3'));
    }
  });

  it('tells keys apart without revealing them', () => {
    expect(fingerprint('k1')).not.toBe(fingerprint('k2'));
    expect(callerIdentity(request({ 'x-functions-key': 'secret-key-value' }), { trustPlatformPrincipal: false })).not.toContain('secret');
  });
});
