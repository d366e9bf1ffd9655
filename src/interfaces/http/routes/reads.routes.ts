import { Router, type RequestHandler } from 'express';
import { findPrincipal, requireRole } from '../auth/authenticate.middleware';
import type { HttpContext } from '../http-context';
import { sendAnswer } from '../reads/read-answer';
import { READ_ROUTES } from '../reads/read-routes';

/**
 * Projection-backed reads (plans, payment history, subscriptions, the event fund) as Express
 * routes. The fast read path (reads/fast-read-path.ts) serves plain GETs of the same table
 * before Express; these routes answer whatever it passes on (HEAD, unusual paths).
 */
export function readsRouter(ctx: HttpContext): Router {
  const router = Router();
  const queries = () => ctx.app.queries;
  for (const route of READ_ROUTES) {
    const guards: RequestHandler[] =
      route.access === 'public'
        ? []
        : route.access === 'caller'
          ? [ctx.authenticate]
          : [ctx.authenticate, requireRole(...route.access)];
    router.get(route.path, ...guards, async (req, res) => {
      const principal = findPrincipal(res) ?? null;
      sendAnswer(res, await route.answer({ params: req.params, query: req.query, principal }, queries()));
    });
  }
  return router;
}
