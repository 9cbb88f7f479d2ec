import type { HttpResponseInit } from '@azure/functions';

/** A 400 answer whose message names the field and the rule; the request changed nothing. */
export function badRequest(message: string, details?: unknown): HttpResponseInit {
  return { status: 400, jsonBody: details === undefined ? { error: message } : { error: message, details } };
}

/** A 404 answer naming what was not found. */
export function notFound(message: string): HttpResponseInit {
  return { status: 404, jsonBody: { error: message } };
}

/**
 * An HTML page with the headers every page the app serves carries: a Content-Security-Policy that runs
 * no script and loads nothing from elsewhere (inline styles and SVG only), no MIME sniffing, no referrer.
 */
export function htmlPage(body: string): HttpResponseInit {
  return {
    status: 200,
    headers: {
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    },
    body,
  };
}
