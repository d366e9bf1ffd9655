import express, { type Express, type Router } from 'express';
import type { RequestListener } from 'node:http';
import { BODY_LIMIT } from './body-limit';
import type { RequestHandlerFirst } from './fast-path';
import type { HttpContext } from './http-context';
import { errorHandler, notFoundHandler, type ErrorLogger } from './problem/error-handler.middleware';
import { commandsRouter, readsRouter } from './routing/express-routes';
import { fastCommandPath } from './routing/fast-command-path';
import { fastReadPath } from './routing/fast-read-path';

export interface AppParts {
  ctx: HttpContext;
  /** Routers mounted before the API, e.g. the PG sandbox in sandbox mode: [path, router]. */
  mounts: Array<[string, Router]>;
  /** Handlers that serve some requests before Express, e.g. the PG sandbox's confirm. */
  first?: RequestHandlerFirst[];
  log: ErrorLogger;
}

/** Every noun's route table (routes/) in Express, after the sandbox's own routers. */
export function createApp(parts: AppParts): Express {
  const app = express();
  app.disable('x-powered-by');
  // No conditional GETs in this API: hashing every response body for an ETag is wasted work.
  app.set('etag', false);
  // Reads first, then the sandbox, then the body parser: a GET walks the fewest layers.
  app.use(readsRouter(parts.ctx));
  for (const [path, router] of parts.mounts) app.use(path, router);
  app.use(express.json({ limit: BODY_LIMIT, strict: true }));
  app.use(commandsRouter(parts.ctx));
  app.use(notFoundHandler);
  app.use(errorHandler(parts.log));
  return app;
}

/**
 * The service's request listener: plain GETs and ordinary JSON POSTs of the route tables, and
 * `first` (the sandbox's confirm, in sandbox mode), before Express; Express for the rest.
 */
export function createRequestListener(parts: AppParts): RequestListener {
  const app = createApp(parts);
  const handlers = [
    fastReadPath(parts.ctx, parts.log),
    fastCommandPath(parts.ctx, parts.log),
    ...(parts.first ?? []),
  ];
  return (req, res) => {
    for (const handler of handlers) if (handler(req, res)) return;
    app(req, res);
  };
}
