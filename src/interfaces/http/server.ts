import type { Router } from 'express';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Application } from '../../application/application';
import { createRequestListener } from './app';
import { BearerAuthenticator } from './auth/bearer-authenticator';
import { authenticate } from './auth/authenticate.middleware';
import type { HttpContext } from './http-context';
import { idempotency } from './idempotency/idempotency.middleware';
import { sandboxShellRouter } from './sandbox/sandbox-shell.routes';
import { tossFastConfirm } from './sandbox/toss-fast-confirm';
import { shopRouter } from './shop/shop.routes';
import {
  loadSettings,
  type Settings,
  compose,
  type Composition,
  lockDataDir,
  type DataDirLock,
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
}

function listen(server: http.Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve((server.address() as AddressInfo).port));
  });
}

/**
 * Starts the service: validates the settings (an invalid one stops the start), listens, locks
 * DATA_DIR, composes the application, catches the read models up, starts the background jobs.
 */
export async function startService(options: StartOptions = {}): Promise<RunningService> {
  const env = options.env ?? process.env;
  const log = options.log ?? ((message: string, detail?: unknown) => console.error(message, detail ?? ''));
  const requestedPort = env.PORT === '0' ? 0 : loadSettings(env).port;
  const server = http.createServer();
  const port = await listen(server, requestedPort);
  const url = `http://127.0.0.1:${port}`;
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
    await composition.start({ schedulerIntervalMs: options.schedulerIntervalMs });
  } catch (error) {
    lock.release();
    server.close();
    throw error;
  }
  const { app, adapters, sandbox } = composition;

  const bearer = new BearerAuthenticator(settings.jwtSecret);
  const ctx: HttpContext = {
    app,
    bearer,
    authenticate: authenticate(bearer),
    idempotency: idempotency(adapters.idempotency, () => Date.now(), {
      isStorable: (s) => s < 500 && s !== 202,
    }),
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
  server.on('request', listener);

  return {
    port,
    url,
    settings,
    app,
    server,
    async close() {
      try {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await composition.close();
      } finally {
        // Last, once every store is closed: the next process may open them.
        lock.release();
      }
    },
  };
}
