import express, { type Express, type Router } from 'express';
import type { RequestListener } from 'node:http';
import { BODY_LIMIT } from './body-limit';
import { fastCommandPath } from './commands/fast-command-path';
import type { RequestHandlerFirst } from './fast-path';
import { fastReadPath } from './reads/fast-read-path';
import { errorHandler, notFoundHandler, type ErrorLogger } from './problem/error-handler.middleware';
import type { HttpContext } from './http-context';
import { commandsRouter } from './routes/commands.routes';
import { healthRouter } from './routes/health.routes';
import { ordersRouter } from './routes/orders.routes';
import { paymentsRouter } from './routes/payments.routes';
import { readsRouter } from './routes/reads.routes';

export interface AppParts {
  ctx: HttpContext;
  /** Routers mounted before the API, e.g. the PG sandbox in sandbox mode: [path, router]. */
  mounts: Array<[string, Router]>;
  /** Extra API routers (refunds, webhooks, audit). */
  routers: Router[];
  /** Handlers that serve some requests before Express, e.g. the PG sandbox's confirm. */
  first?: RequestHandlerFirst[];
  log: ErrorLogger;
}

export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  // No conditional GETs in this API: hashing every response body for an ETag is wasted work.
  app.set('etag', false);
  // Reads first, then the sandbox, then the body parser: a GET walks the fewest layers.
  app.use(readsRouter(parts.ctx));
  app.use(healthRouter(parts.ctx));
  for (const [path, router] of parts.mounts) app.use(path, router);
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(commandsRouter(parts.ctx));
  app.use(ordersRouter(parts.ctx));
  app.use(paymentsRouter(parts.ctx));
  for (const router of parts.routers) app.use(router);
  app.use(notFoundHandler);
  app.use(errorHandler(parts.log));
  return app;
}

/**
 * The service's request listener: plain GETs of the read table, ordinary POSTs of the command
 * table and `first` (the sandbox's confirm, in sandbox mode) before Express, Express for the rest.
 */
export function createRequestListener(parts: AppParts): RequestListener {
  const app = createApp(parts);
  const reads = fastReadPath(parts.ctx.bearer, () => parts.ctx.app.queries, parts.log);
  const handlers = [reads, fastCommandPath(parts.ctx, parts.log), ...(parts.first ?? [])];
  return (req, res) => {
    for (const handler of handlers) if (handler(req, res)) return;
    app(req, res);
  };
}
