import type { HttpResponseInit } from '@azure/functions';

/** A 400 answer whose message names the field and the rule; the request changed nothing. */
export function badRequest(message: string, details?: unknown): HttpResponseInit {
  return { status: 400, jsonBody: details === undefined ? { error: message } : { error: message, details } };
}

/** A 404 answer naming what was not found. */
export function notFound(message: string): HttpResponseInit {
  return { status: 404, jsonBody: { error: message } };
}
