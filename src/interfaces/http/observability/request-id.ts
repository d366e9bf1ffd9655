import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What an incoming X-Request-Id may be to be kept: a UUID, a ULID, a trace id... but nothing
 * that could smuggle a line break or markup into a log line or a header.
 */
const SANE_REQUEST_ID = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$/;

const ids = new WeakMap<IncomingMessage, string>();

/**
 * The request's id: the caller's X-Request-Id when it is sane, else a fresh UUID; the same for
 * the whole request whoever asks (the access log, a fast path, an Express route).
 */
export function requestIdOf(req: IncomingMessage): string {
  let id = ids.get(req);
  if (id === undefined) {
    const given = req.headers['x-request-id'];
    id = typeof given === 'string' && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    ids.set(req, id);
  }
  return id;
}
