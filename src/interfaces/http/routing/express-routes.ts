import express, { Router, type Request, type RequestHandler, type Response } from 'express';
import { findPrincipal } from '../auth/authenticate.middleware';
import type { HttpContext } from '../http-context';
import { bodyOf } from '../validation/parse';
import { READS, COMMANDS } from '../routes';
import { authorizeRoute } from './authorize';
import type { Route } from './route';
import { sendAnswer } from './send-answer';
import { requestIdOf } from '../observability/request-id';

/** Exact paths before `:name` ones, so `/v1/users/me/...` is never taken for a user id. */
const exactFirst = <R extends Route>(routes: readonly R[]): R[] =>
  [...routes].sort((a, b) => Number(a.path.includes('/:')) - Number(b.path.includes('/:')));

function guards(ctx: HttpContext, route: Route): RequestHandler[] {
  if (route.access === 'public') return [];
  return [ctx.authenticate, authorizeRoute(route)];
}

const requestOf = (req: Request, res: Response) => ({
  params: req.params as Record<string, string>,
  query: req.query,
  principal: findPrincipal(res) ?? null,
  header: (name: string) => req.get(name),
  requestId: requestIdOf(req),
});

/**
 * The reads of every noun's table as Express routes. The fast read path serves plain GETs of the
 * same table before Express; these answer whatever it passes on (HEAD, unusual paths).
 */
export function readsRouter(ctx: HttpContext): Router {
  const router = Router();
  for (const route of exactFirst(READS)) {
    router.get(route.path, ...guards(ctx, route), async (req, res) => {
      sendAnswer(res, await route.answer(requestOf(req, res), ctx));
    });
  }
  return router;
}

/**
 * The POSTs and DELETEs of every noun's table as Express routes (mounted after the JSON body parser). The
 * fast command path serves ordinary JSON requests of the same table before Express; these answer
 * what it passes on: an Idempotency-Key, another content type or encoding, a large or chunked
 * body, and form posts.
 */
export function commandsRouter(ctx: HttpContext): Router {
  const router = Router();
  for (const route of exactFirst(COMMANDS)) {
    const handlers = guards(ctx, route);
    if (route.body === 'form') handlers.unshift(express.urlencoded({ extended: false, limit: '16kb' }));
    if (route.idempotencyKey) handlers.push(ctx.idempotency);
    router[route.method === 'DELETE' ? 'delete' : 'post'](route.path, ...handlers, async (req, res) => {
      const answer = await route.run({ ...requestOf(req, res), body: bodyOf(req) }, ctx);
      if (answer.headers) res.set(answer.headers);
      // res.json, not a raw write: the idempotency middleware stores the answer from it.
      res.status(answer.status).json(answer.json);
      answer.afterwards?.();
    });
  }
  return router;
}
