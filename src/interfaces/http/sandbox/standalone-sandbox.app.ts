import express, { type Express, type Router } from 'express';
import type { Scheduler } from '../../../application/jobs/scheduler';
import { type SandboxClock, type FaultRegistry } from '../../../infrastructure/composition';
import { errorHandler, notFoundHandler, type ErrorLogger } from '../problem/error-handler.middleware';
import { sandboxClockRouter, sandboxFaultsRouter } from './sandbox-shell.routes';

export interface StandaloneSandboxParts {
  /** The PG sandboxes' routers: [path, router]. */
  mounts: Array<[string, Router]>;
  clock: SandboxClock;
  scheduler: Scheduler;
  faults: FaultRegistry;
  log: ErrorLogger;
}

/**
 * The PG sandboxes served on their own, as a PG is: the Toss and PortOne APIs and buyer
 * windows, plus this process's clock (its webhook retries) and faults under /sandbox.
 */
export function createStandaloneSandboxApp(parts: StandaloneSandboxParts): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  for (const [path, router] of parts.mounts) app.use(path, router);
  app.use(
    '/sandbox',
    sandboxClockRouter(parts.clock, () => parts.scheduler),
  );
  app.use('/sandbox', sandboxFaultsRouter(parts.faults));
  app.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.use(notFoundHandler);
  app.use(errorHandler(parts.log));
  return app;
}
