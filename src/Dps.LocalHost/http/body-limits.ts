import { BodyLimits, DEFAULT_MAX_BODY_BYTES } from './http-server';

/** Default for anonymous routes: enough for a small JSON command, nothing an unknown caller can grow memory with. */
export const DEFAULT_ANONYMOUS_MAX_BODY_BYTES = 64 * 1024;

/**
 * The host's request-body limits: explicit options first, then the app setting Azure itself reads
 * (`FUNCTIONS_REQUEST_BODY_SIZE_LIMIT`, bytes), then Azure's default of 100 MiB. A bad setting is an
 * error naming it, so a typo does not silently lift the limit.
 */
export function resolveBodyLimits(options: { maxRequestBodyBytes?: number; maxAnonymousRequestBodyBytes?: number }, settings: Record<string, string | undefined>): BodyLimits {
  const raw = settings.FUNCTIONS_REQUEST_BODY_SIZE_LIMIT;
  const fromSetting = raw === undefined || raw.trim() === '' ? undefined : Number(raw);
  if (fromSetting !== undefined && !(Number.isSafeInteger(fromSetting) && fromSetting >= 0)) {
    throw new Error(`FUNCTIONS_REQUEST_BODY_SIZE_LIMIT must be a whole number of bytes, got '${raw}'`);
  }
  const maxBytes = options.maxRequestBodyBytes ?? fromSetting ?? DEFAULT_MAX_BODY_BYTES;
  const anonymousMaxBytes = Math.min(maxBytes, options.maxAnonymousRequestBodyBytes ?? DEFAULT_ANONYMOUS_MAX_BODY_BYTES);
  return { maxBytes, anonymousMaxBytes };
}
