import type { Request, RequestHandler, Response } from 'express';
import type { IdempotencyStore, StoredResponse } from '../../../application/ports/idempotency-store.port';
import { findPrincipal } from '../auth/authenticate.middleware';
import { isAnsweringThrownError, PROBLEM_CONTENT_TYPE, sendProblem } from '../problem/problem-details';
import { fingerprint } from './canonical-json';

export interface IdempotencyOptions {
  /** Which handler-written statuses are final and get replayed; default: everything below 500. */
  isStorable?: (status: number) => boolean;
}

const KEY_PATTERN = /^[\x21-\x7E]{1,255}$/; // visible ASCII, no spaces: what a client can echo back verbatim
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The REST `Idempotency-Key` header. Mount after `authenticate` (the key is scoped to the
 * caller) and after `express.json()` (the body is fingerprinted). Requests without the header
 * pass straight through.
 */
export function idempotency(
  store: IdempotencyStore,
  now: () => number,
  options: IdempotencyOptions = {},
): RequestHandler {
  const isStorable = options.isStorable ?? ((status: number) => status < 500);
  return async (req, res, next) => {
    const key = req.get('Idempotency-Key');
    if (SAFE_METHODS.has(req.method) || key === undefined) return next();
    if (!KEY_PATTERN.test(key)) {
      return sendProblem(res, 'VALIDATION_FAILED', 'Idempotency-Key must be 1–255 visible ASCII characters', {
        errors: [
          { path: 'Idempotency-Key', message: 'must be 1–255 visible ASCII characters', in: 'header' },
        ],
      });
    }
    const scope = scopeOf(req, res);
    const begun = await store.begin(scope, key, fingerprint(req.body), now());
    switch (begun.kind) {
      case 'replay':
        return replay(res, begun.response);
      case 'in_progress':
        res.set('Retry-After', '1');
        return sendProblem(
          res,
          'IDEMPOTENCY_KEY_IN_USE',
          'a request with this Idempotency-Key is still in progress',
        );
      case 'mismatch':
        return sendProblem(
          res,
          'IDEMPOTENCY_KEY_REUSED',
          'this Idempotency-Key was already used with a different request body',
        );
      case 'started':
        settleWithResponse(res, (outcome) =>
          outcome === 'release' || !isStorable(outcome.status)
            ? store.release(scope, key)
            : store.complete(scope, key, outcome),
        );
        return next();
    }
  };
}

/** `userId METHOD /full/route/path`: one caller's key never collides with another's or another route's. */
function scopeOf(req: Request, res: Response): string {
  const caller = findPrincipal(res)?.userId ?? 'anonymous';
  return `${caller} ${req.method} ${req.baseUrl}${req.path}`;
}

function replay(res: Response, stored: StoredResponse): void {
  res.status(stored.status).set('Idempotent-Replayed', 'true');
  if (stored.body === null || stored.body === undefined) {
    res.end();
    return;
  }
  if (isProblem(stored.body)) res.type(PROBLEM_CONTENT_TYPE);
  res.json(stored.body);
}

type Outcome = StoredResponse | 'release';

/**
 * Intercepts the handler's res.json and settles the key BEFORE the response goes out, so a
 * client that retries the instant it has an answer is replayed rather than told "in progress".
 * A thrown error (answered by the error handler) releases the key: it had no effect, and the
 * retry must run again.
 */
function settleWithResponse(res: Response, settle: (outcome: Outcome) => Promise<void>): void {
  let settled = false;
  const sendJson = res.json.bind(res);
  res.json = ((body?: unknown) => {
    if (settled) return sendJson(body);
    // Throws like res.json would for an unserialisable body; the error handler's answer then settles.
    const outcome: Outcome = isAnsweringThrownError(res)
      ? 'release'
      : { status: res.statusCode, body: asSentOnTheWire(body) };
    settled = true;
    // A store failure must not swallow the answer; the key then ages out of the store.
    settle(outcome)
      .catch(() => undefined)
      .then(() => sendJson(body))
      .catch(() => res.destroy()); // the body serialised above, so this is a broken socket at most
    return res;
  }) as Response['json'];
  // Answers written without res.json (204 via res.end, express's own error page) are settled here.
  res.once('finish', () => {
    if (settled) return;
    settled = true;
    const thrown = isAnsweringThrownError(res) || res.statusCode >= 500;
    void settle(thrown ? 'release' : { status: res.statusCode, body: null }).catch(() => undefined);
  });
}

/** What the client received, so a replay is byte-for-byte the same JSON (Dates as strings...). */
function asSentOnTheWire(body: unknown): unknown {
  const json = JSON.stringify(body);
  return json === undefined ? null : (JSON.parse(json) as unknown);
}

function isProblem(body: unknown): boolean {
  return typeof body === 'object' && body !== null && 'type' in body && 'code' in body && 'status' in body;
}
