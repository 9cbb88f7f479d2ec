import type { DpsSettings } from '../settings';

/**
 * The origin of links the app returns: DPS_PUBLIC_BASE_URL when set, else the app's own host name as
 * the platform (or the local host) sets WEBSITE_HOSTNAME. Never the request's Host header, which the
 * caller chooses.
 */
export function publicBaseUrl(settings: Pick<DpsSettings, 'publicBaseUrl'>): string {
  if (settings.publicBaseUrl) return settings.publicBaseUrl.replace(/\/+$/, '');
  const host = process.env.WEBSITE_HOSTNAME || '127.0.0.1:7071';
  const local = /^(127\.0\.0\.1|localhost)(:\d+)?$/.test(host);
  return `${local ? 'http' : 'https'}://${host}`;
}
