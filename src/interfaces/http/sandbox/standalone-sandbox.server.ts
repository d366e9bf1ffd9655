import {
  composeSandbox,
  loadSandboxSettings,
  lockDataDir,
  selfHost,
  type SandboxSettings,
} from '../../../infrastructure/composition';
import { listen } from '../listen';
import { createLimitedServer, DEFAULT_SERVER_LIMITS } from '../server-limits';
import { createStandaloneSandboxApp } from './standalone-sandbox.app';
import { tossFastConfirm } from './toss-fast-confirm';

export interface RunningSandbox {
  port: number;
  /** Where the PGs answer: `${url}/sandbox/toss`, `${url}/sandbox/portone`. */
  url: string;
  settings: SandboxSettings;
  close(): Promise<void>;
}

export interface SandboxStartOptions {
  env?: NodeJS.ProcessEnv;
  /** Webhook retry interval; tests may slow it down and drive time through /sandbox/clock. */
  schedulerIntervalMs?: number;
  log?: (message: string, detail?: unknown) => void;
}

/**
 * The PG sandboxes in a process of their own, like a real PG: point the service's
 * TOSS_API_BASE_URL and PORTONE_API_BASE_URL at it, and this SERVICE_URL at the service.
 */
export async function startStandaloneSandbox(options: SandboxStartOptions = {}): Promise<RunningSandbox> {
  const settings = loadSandboxSettings(options.env ?? process.env);
  const log = options.log ?? ((message: string, detail?: unknown) => console.error(message, detail ?? ''));
  // Its own DATA_DIR, one process at a time, like the service's (sandbox.db, the clock file).
  const lock = lockDataDir(settings.dataDir);
  const sandbox = composeSandbox(settings, (source, error) => log(`[${source}] background failure`, error));
  const { clock, pgs, scheduler } = sandbox;
  sandbox.start({ schedulerIntervalMs: options.schedulerIntervalMs });
  const app = createStandaloneSandboxApp({
    mounts: pgs.mounts,
    clock,
    scheduler,
    faults: pgs.faults,
    log: (message, detail) => log(message, detail),
  });
  const first = tossFastConfirm('/sandbox/toss', pgs.tossConfirm);
  const server = createLimitedServer(DEFAULT_SERVER_LIMITS);
  server.on('request', (req, res) => {
    if (!first(req, res)) app(req, res);
  });
  let port: number;
  try {
    port = await listen(server, settings.port, settings.host);
  } catch (error) {
    await sandbox.close();
    lock.release();
    throw error;
  }
  return {
    port,
    url: `http://${selfHost(settings.host)}:${port}`,
    settings,
    async close() {
      try {
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
        await sandbox.close();
      } finally {
        lock.release();
      }
    },
  };
}
