import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/jwt';
import { BODY_LIMIT_BYTES } from '../body-limit';
import { answerFailure, sendRawProblem, type RequestHandlerFirst } from '../fast-path';
import type { HttpContext } from '../http-context';
import { sendJsonText } from '../json-page';
import { MALFORMED_JSON, type ErrorLogger } from '../problem/error-handler.middleware';
import { COMMANDS } from '../routes';
import { isPlainJsonBody, parseStrictJson, readText } from './json-body';
import { accessDenial } from './authorize';
import { PathMatcher } from './path-pattern';
import type { CommandRoute } from './route';
import { requestIdOf } from '../observability/request-id';

/**
 * The JSON POSTs of every noun's table served straight from node:http, before Express, when
 * they are ordinary: a path of the table (no query string), a JSON body of declared length within the limit, no content
 * encoding, and (where the route honours one) no Idempotency-Key. Everything else goes on to
 * the same table mounted in Express (routing/express-routes.ts), untouched. The order of
 * checks is Express's: the body is parsed before the caller is authenticated.
 */
export function fastCommandPath(
  ctx: HttpContext,
  log: ErrorLogger,
  routes: readonly CommandRoute[] = COMMANDS,
): RequestHandlerFirst {
  const matcher = new PathMatcher(
    routes
      .filter((route) => route.method === 'POST' && route.body === 'json')
      .map((route) => [route.path, route] as [string, CommandRoute]),
  );
  return (req, res) => {
    if (req.method !== 'POST' || req.url === undefined) return false;
    const matched = matcher.match(req.url);
    if (matched === null || !isOrdinary(req, matched.value)) return false;
    readText(req).then(
      (text) => serve(ctx, log, matched.value, matched.params, req, res, text),
      () => res.destroy(), // the client went away mid-body: no one to answer
    );
    return true;
  };
}

function isOrdinary(req: IncomingMessage, route: CommandRoute): boolean {
  if (route.idempotencyKey && req.headers['idempotency-key'] !== undefined) return false;
  return isPlainJsonBody(req, BODY_LIMIT_BYTES);
}

async function serve(
  ctx: HttpContext,
  log: ErrorLogger,
  route: CommandRoute,
  params: Record<string, string>,
  req: IncomingMessage,
  res: ServerResponse,
  text: string,
): Promise<void> {
  const body = parseStrictJson(text);
  if (body === undefined) return sendRawProblem(res, MALFORMED_JSON.code, MALFORMED_JSON.detail);
  let principal: Principal | null = null;
  try {
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
    const header = (name: string): string | undefined => {
      const value = req.headers[name];
      return Array.isArray(value) ? value.join(', ') : value;
    };
    const answer = await route.run(
      { body, params, query: {}, principal, header, requestId: requestIdOf(req) },
      ctx,
    );
    if (answer.headers)
      for (const [name, value] of Object.entries(answer.headers)) res.setHeader(name, value);
    sendJsonText(res, answer.status, JSON.stringify(answer.json));
    answer.afterwards?.();
  } catch (error) {
    answerFailure(res, error, log, { method: 'POST', path: req.url ?? route.path });
  }
}
