import { parse as parseQueryString } from 'node:querystring';
import type { Queries } from '../../../application/queries/queries';
import type { BearerAuthenticator } from '../auth/bearer-authenticator';
import type { Principal } from '../auth/jwt';
import { answerFailure, sendRawProblem, type RequestHandlerFirst } from '../fast-path';
import type { ErrorLogger } from '../problem/error-handler.middleware';
import { sendAnswer } from './read-answer';
import { READ_ROUTES, type ReadRoute } from './read-routes';

interface Compiled {
  route: ReadRoute;
  /** Path segments; a `:name` segment captures that parameter. */
  segments: string[];
}

/**
 * The projection-backed GETs served straight from node:http, before Express: on this path
 * Express's per-request set-up and router walk cost more than the read itself. Same table, same
 * auth, validation and problem+json as the Express routes (routes/reads.routes.ts), which
 * answer anything this passes on: other methods, HEAD, paths that are not an exact match.
 */
export function fastReadPath(
  bearer: BearerAuthenticator,
  queries: () => Queries,
  log: ErrorLogger,
): RequestHandlerFirst {
  const exact = new Map<string, ReadRoute>();
  const patterns: Compiled[] = [];
  for (const route of READ_ROUTES) {
    if (route.path.includes('/:')) patterns.push({ route, segments: route.path.split('/') });
    else exact.set(route.path, route);
  }

  return (req, res) => {
    if (req.method !== 'GET' || req.url === undefined) return false;
    const url = req.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const route = exact.get(path);
    const matched = route ? { route, params: {} } : matchPattern(patterns, path);
    if (!matched) return false;

    let principal: Principal | null = null;
    if (matched.route.access !== 'public') {
      const check = bearer.check(req.headers.authorization);
      if (!check.ok) {
        res.setHeader('WWW-Authenticate', check.challenge);
        sendRawProblem(res, 'UNAUTHENTICATED', check.detail);
        return true;
      }
      principal = check.principal;
      const roles = matched.route.access;
      if (roles !== 'caller' && !roles.includes(principal.role)) {
        sendRawProblem(res, 'FORBIDDEN', `this action requires the role ${roles.join(' or ')}`);
        return true;
      }
    }
    const query = q === -1 ? {} : parseQueryString(url.slice(q + 1));
    Promise.resolve()
      .then(() => matched.route.answer({ params: matched.params, query, principal }, queries()))
      .then(
        (answer) => sendAnswer(res, answer),
        (error: unknown) => answerFailure(res, error, log, { method: 'GET', path }),
      );
    return true;
  };
}

/** The first pattern with the same number of segments whose fixed segments all match. */
function matchPattern(
  patterns: Compiled[],
  path: string,
): { route: ReadRoute; params: Record<string, string> } | null {
  const parts = path.split('/');
  for (const { route, segments } of patterns) {
    if (segments.length !== parts.length) continue;
    const params: Record<string, string> = {};
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) {
      const segment = segments[i];
      if (segment.startsWith(':')) {
        const value = decodeSegment(parts[i]);
        if (value === null || value === '') ok = false;
        else params[segment.slice(1)] = value;
      } else ok = segment === parts[i];
    }
    if (ok) return { route, params };
  }
  return null;
}

/** A percent-decoded path segment; null when malformed (Express then answers it). */
function decodeSegment(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}
