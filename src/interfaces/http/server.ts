import type { Router } from 'express';
import type http from 'node:http';
import type { Application } from '../../application/application';
import { createRequestListener } from './app';
import { authenticatorFromSettings } from './auth/authenticator-from-settings';
import { withCors } from './cors';
import { listen } from './listen';
import { createLimitedServer, DEFAULT_SERVER_LIMITS, type ServerLimits } from './server-limits';
import { authenticate } from './auth/authenticate.middleware';
import type { HttpContext } from './http-context';
import { idempotency } from './idempotency/idempotency.middleware';
import { sandboxShellRouter } from './sandbox/sandbox-shell.routes';
import { tossFastConfirm } from './sandbox/toss-fast-confirm';
import { observeRequests, METRICS_PATH } from './observability/observed-listener';
import { routeTemplates } from './observability/route-template';
import { ServingState } from './observability/serving-state';
import { createLogger, failureLog, type Logger } from '../observability/logger';
import { shopRouter } from './shop/shop.routes';
import {
  loadSettings,
  type Settings,
  compose,
  type Composition,
  lockDataDir,
  type DataDirLock,
  selfHost,
} from '../../infrastructure/composition';

export interface RunningService {
  port: number;
  url: string;
  settings: Settings;
  /** The composed application (handlers, queries, processes, stores). */
  app: Application;
  server: http.Server;
  close(): Promise<void>;
}

export interface StartOptions {
  env?: NodeJS.ProcessEnv;
  /** Background job interval; tests may slow it down and drive time through /sandbox/clock. */
  schedulerIntervalMs?: number;
  log?: (message: string, detail?: unknown) => void;
  /** Request timeouts and the connection cap; tests shorten the timeouts. */
  limits?: Partial<ServerLimits>;
  /** The JSON logger (requests, background failures); by default pino at LOG_LEVEL on stdout. */
  logger?: Logger;
  /** How long close() waits for requests in flight before cutting them (10 s). */
  drainTimeoutMs?: number;
}

/**
 * Starts the service: validates the settings (an invalid one stops the start), listens, locks
 * DATA_DIR, composes the application, catches the read models up, starts the background jobs.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger(env);
  const log = options.log ?? failureLog(logger);
  // PORT=0 (any free port) is for tests; the settings themselves require 1–65535.
  const initial = loadSettings(env.PORT === '0' ? { ...env, PORT: undefined } : env);
  const requestedPort = env.PORT === '0' ? 0 : initial.port;
  const server = createLimitedServer({
    ...DEFAULT_SERVER_LIMITS,
    maxConnections: initial.maxConnections,
    ...options.limits,
  });
  const port = await listen(server, requestedPort, initial.host);
  const url = `http://${selfHost(initial.host)}:${port}`;
  let settings: Settings;
  let lock: DataDirLock;
  try {
    settings = loadSettings({ ...env, PORT: String(port) });
    // Before any store opens: a second process on this DATA_DIR stops here (DataDirInUseError).
    lock = lockDataDir(settings.dataDir);
  } catch (error) {
    server.close();
    throw error;
  }
  let composition: Composition;
  try {
    composition = await compose(settings, {
      serviceUrl: url,
      report: (source, error) => log(`[${source}] background failure`, error),
    });
  } catch (error) {
    lock.release();
    server.close();
    throw error;
  }
  const { app, adapters, sandbox } = composition;
  const serving = new ServingState();

  const bearer = authenticatorFromSettings(settings, app);
  const ctx: HttpContext = {
    app,
    bearer,
    authenticate: authenticate(bearer),
    idempotency: idempotency(adapters.idempotency, () => Date.now(), {
      isStorable: (s) => s < 500 && s !== 202,
    }),
    shuttingDown: () => serving.isDraining,
  };
  const mounts: Array<[string, Router]> = [];
  if (sandbox && adapters.sandboxClock) {
    mounts.push(...sandbox.mounts, [
      '/sandbox',
      sandboxShellRouter(ctx, adapters.sandboxClock, sandbox.faults, settings.jwtSecret),
    ]);
    // The demo shop at `/` logs in through /sandbox/tokens, so it exists only with the sandbox.
    mounts.push(['/', shopRouter()]);
  }
  const listener = createRequestListener({
    ctx,
    mounts,
    first: sandbox ? [tossFastConfirm('/sandbox/toss', sandbox.tossConfirm)] : [],
    log: (message, detail) => log(message, detail),
  });
  // Probes and /metrics answer from here on; the API once the read models have caught up.
  const routeOf = routeTemplates([...mounts.map(([path]) => path), '/sandbox'], [METRICS_PATH]);
  server.on(
    'request',
    withCors(
      observeRequests(listener, { logger, metrics: composition.metrics, serving, routeOf }),
      settings.corsOrigins,
    ),
  );
  try {
    await composition.start({ schedulerIntervalMs: options.schedulerIntervalMs });
  } catch (error) {
    await composition.close().catch(() => undefined);
    lock.release();
    server.close();
    throw error;
  }
  serving.markStarted();

  return {
    port,
    url,
    settings,
    app,
    server,
    async close() {
      try {
        // Stop accepting, let the requests in flight answer (bounded), then close the jobs,
        // the projector and the stores (the SQLite writer commits what it holds first).
        await serving.drain(server, logger, options.drainTimeoutMs);
        await composition.close();
      } finally {
        // Last, once every store is closed: the next process may open them.
        lock.release();
      }
    },
  };
}
