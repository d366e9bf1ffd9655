import type { IncomingMessage, ServerResponse } from 'node:http';
import { parse as parseQueryString } from 'node:querystring';
import type { Principal } from '../auth/jwt';
import { answerFailure, sendRawProblem, type RequestHandlerFirst } from '../fast-path';
import type { HttpContext } from '../http-context';
import type { ErrorLogger } from '../problem/error-handler.middleware';
import { READS } from '../routes';
import { accessDenial } from './authorize';
import { PathMatcher } from './path-pattern';
import type { ReadRoute, RouteRequest } from './route';
import { sendAnswer } from './send-answer';
import { requestIdOf } from '../observability/request-id';

/**
 * The GETs of every noun's table served straight from node:http, before Express: on this path
 * Express's per-request set-up and router walk cost more than the read itself. Same table, same
 * auth, validation and problem+json as the Express routes (routing/express-routes.ts), which
 * answer anything this passes on: other methods, HEAD, paths that are not an exact match.
 */
export function fastReadPath(
  ctx: HttpContext,
  log: ErrorLogger,
  routes: readonly ReadRoute[] = READS,
): RequestHandlerFirst {
  const matcher = new PathMatcher(routes.map((route) => [route.path, route] as [string, ReadRoute]));

  return (req, res) => {
    if (req.method !== 'GET' || req.url === undefined) return false;
    const url = req.url;
    const q = url.indexOf('?');
    const path = q === -1 ? url : url.slice(0, q);
    const matched = matcher.match(path);
    if (!matched) return false;
    const route = matched.value;

    const query = q === -1 ? {} : parseQueryString(url.slice(q + 1));
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    serve(ctx, route, req, res, { params: matched.params, query, header, requestId: requestIdOf(req) }).catch(
      (error: unknown) => answerFailure(res, error, log, { method: 'GET', path }),
    );
    return true;
  };
}

/** Authenticates (asynchronously: a key may have to be fetched), authorizes, then answers. */
async function serve(
  ctx: HttpContext,
  route: ReadRoute,
  req: IncomingMessage,
  res: ServerResponse,
  request: Omit<RouteRequest, 'principal'>,
): Promise<void> {
  let principal: Principal | null = null;
  if (route.access !== 'public') {
    const check = await ctx.bearer.check(req.headers.authorization, req.headers['x-api-key']);
    if (!check.ok) {
      res.setHeader('WWW-Authenticate', check.challenge);
      return sendRawProblem(res, 'UNAUTHENTICATED', check.detail);
    }
    const denial = accessDenial(route, check.principal);
    if (denial !== null) return sendRawProblem(res, 'FORBIDDEN', denial);
    principal = check.principal;
  }
  sendAnswer(res, await route.answer({ ...request, principal }, ctx));
}
