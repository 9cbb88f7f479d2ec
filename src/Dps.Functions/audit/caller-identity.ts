import { createHash } from 'node:crypto';
import type { HttpRequest } from '@azure/functions';
import type { DpsSettings } from '../settings';

/** Claim types that name a user, in order of preference, when the principal's own `name_typ` claim is absent. */
const NAME_CLAIMS = ['name', 'preferred_username', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name', 'http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress', 'email', 'upn'];

interface ClientPrincipal {
  name_typ?: unknown;
  claims?: unknown;
}

/** The user named by an App Service `x-ms-client-principal` header (base64 JSON), if it names one. */
function principalName(header: string): string | undefined {
  let principal: ClientPrincipal;
  try {
    principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as ClientPrincipal;
  } catch {
    return undefined;
  }
  if (!Array.isArray(principal?.claims)) return undefined;
  const claims = principal.claims.filter((c): c is { typ: string; val: string } => typeof c?.typ === 'string' && typeof c?.val === 'string' && c.val !== '');
  const types = [...(typeof principal.name_typ === 'string' ? [principal.name_typ] : []), ...NAME_CLAIMS];
  for (const typ of types) {
    const claim = claims.find((c) => c.typ === typ);
    if (claim) return claim.val;
  }
  return undefined;
}

/** The function key a request presented, as `key:` and the first 12 hex digits of its sha256 (never the key). */
function keyFingerprint(request: HttpRequest): string | undefined {
  const key = request.headers.get('x-functions-key') ?? request.query.get('code');
  return key ? `key:${createHash('sha256').update(key).digest('hex').slice(0, 12)}` : undefined;
}

/**
 * Who made a request, from trusted sources only: with DPS_TRUST_PLATFORM_PRINCIPAL (Easy Auth on, which
 * strips any principal headers a caller sends and sets its own), the authenticated principal; otherwise
 * the function key used (its fingerprint: the Node worker is not told the key's name), else `system`.
 * Principal headers are ignored without the setting: any key holder can send them.
 */
export function callerIdentity(request: HttpRequest, settings: Pick<DpsSettings, 'trustPlatformPrincipal'>): string {
  if (settings.trustPlatformPrincipal) {
    const header = request.headers.get('x-ms-client-principal');
    const name = header ? principalName(header) : undefined;
    if (name) return name;
  }
  return keyFingerprint(request) ?? 'system';
}
