import type { RequestListener } from 'node:http';
import type { RequestHandlerFirst } from './fast-path';

/** What a browser may send cross-origin: the API's methods and the headers its clients set. */
export const CORS_ALLOWED_METHODS = 'GET, HEAD, POST, OPTIONS';
export const CORS_ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key';
/** Response headers a cross-origin script may read besides the safelisted ones. */
const CORS_EXPOSED_HEADERS = 'Location, Retry-After, WWW-Authenticate';
/** How long a browser may cache a preflight answer, in seconds. */
const PREFLIGHT_MAX_AGE_S = 600;

/**
 * CORS for an allow-list of origins (CORS_ORIGINS), in front of every request path (the fast
 * paths and Express alike). A listed origin gets `Access-Control-Allow-Origin` naming it, and its
 * preflight is answered here (204). Any other origin gets no CORS header, so the browser keeps
 * the answer from the script; with an empty list nothing is added at all. No credentials mode:
 * the API authenticates with a bearer token, never a cookie.
 *
 * Returns true when it answered (a preflight from a listed origin), false to pass the request on.
 */
export function corsGuard(allowedOrigins: readonly string[]): RequestHandlerFirst {
  const allowed = new Set(allowedOrigins);
  if (allowed.size === 0) return () => false;
  return (req, res) => {
    // Answers differ by Origin once a list is set: caches must key on it.
    res.setHeader('Vary', 'Origin');
    const origin = req.headers.origin;
    if (origin === undefined || !allowed.has(origin)) return false;
    res.setHeader('Access-Control-Allow-Origin', origin);
    if (req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined) {
      res.writeHead(204, {
        'Access-Control-Allow-Methods': CORS_ALLOWED_METHODS,
        'Access-Control-Allow-Headers': CORS_ALLOWED_HEADERS,
        'Access-Control-Max-Age': String(PREFLIGHT_MAX_AGE_S),
        'Content-Length': '0',
      });
      res.end();
      return true;
    }
    res.setHeader('Access-Control-Expose-Headers', CORS_EXPOSED_HEADERS);
    return false;
  };
}

/** `listener` behind the CORS guard: the fast paths and Express both get the headers. */
export function withCors(listener: RequestListener, allowedOrigins: readonly string[]): RequestListener {
  if (allowedOrigins.length === 0) return listener;
  const guard = corsGuard(allowedOrigins);
  return (req, res) => {
    if (!guard(req, res)) listener(req, res);
  };
}
