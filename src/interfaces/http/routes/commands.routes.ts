import { Router, type RequestHandler } from 'express';
import { findPrincipal, requireRole } from '../auth/authenticate.middleware';
import { COMMAND_ROUTES } from '../commands/command-routes';
import type { HttpContext } from '../http-context';
import { bodyOf } from '../validation/parse';

/**
 * The command table (commands/command-routes.ts) as Express routes. The fast command path
 * serves ordinary requests of the same table before Express; these routes answer whatever it
 * passes on: an Idempotency-Key, another content type or encoding, a chunked or large body.
 */
export function commandsRouter(ctx: HttpContext): Router {
  const router = Router();
  for (const route of COMMAND_ROUTES) {
    const guards: RequestHandler[] =
      route.access === 'public' ? [] : [ctx.authenticate, requireRole(...route.access)];
    if (route.idempotencyKey) guards.push(ctx.idempotency);
    router.post(route.path, ...guards, async (req, res) => {
      const principal = findPrincipal(res) ?? null;
      const answer = await route.run({ body: bodyOf(req), principal, header: (name) => req.get(name) }, ctx);
      // res.json, not a raw write: the idempotency middleware stores the answer from it.
      res.status(answer.status).json(answer.json);
      answer.afterwards?.();
    });
  }
  return router;
}
