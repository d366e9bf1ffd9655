import Database from 'better-sqlite3';
import type { Router } from 'express';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { DueJobSource } from '../../application/ports/due-job-source.port';
import type { SandboxClock } from '../clock/sandbox-clock';
import { FaultRegistry } from '../pg-sandbox/fault-registry';
import { noticeUrlPolicy } from '../pg-sandbox/notice-url-policy';
import { createPortoneSandbox } from '../pg-sandbox/portone/portone-sandbox';
import type { TossRoute } from '../pg-sandbox/toss/toss-endpoint';
import { createTossSandbox } from '../pg-sandbox/toss/toss-sandbox';

export interface SandboxPgs {
  faults: FaultRegistry;
  mounts: Array<[string, Router]>;
  /** Toss's confirm, which the HTTP layer also serves before Express (toss-fast-confirm). */
  tossConfirm: TossRoute;
  jobs: DueJobSource[];
  close(): void;
}

/** What the sandboxes need: the service's Settings have it, so has the standalone sandbox's. */
export interface SandboxPgOptions {
  dataDir: string;
  toss: { secretKey: string };
  portone: { apiKey: string; apiSecret: string };
  /** Origins besides loopback a PortOne payment's notice_url may name. */
  sandboxNoticeUrlAllow?: readonly string[];
}

/**
 * The PG sandboxes, their state in DATA_DIR/sandbox.db, sending webhooks to `serviceUrl`.
 * Built into the service in sandbox mode, or run on their own (`npm run sandbox`).
 */
export function createSandboxPgs(
  settings: SandboxPgOptions,
  clock: SandboxClock,
  serviceUrl: string,
): SandboxPgs {
  mkdirSync(settings.dataDir, { recursive: true });
  const db = new Database(path.join(settings.dataDir, 'sandbox.db'));
  db.pragma('journal_mode = WAL');
  // A simulator: crash-safe ordering is enough, a lost last write on power loss is acceptable.
  db.pragma('synchronous = NORMAL');
  const faults = new FaultRegistry();
  const toss = createTossSandbox({
    db,
    clock,
    faults,
    secretKey: settings.toss.secretKey,
    webhookUrl: () => `${serviceUrl}/v1/webhooks/toss`,
  });
  const portone = createPortoneSandbox({
    db,
    clock,
    faults,
    apiKey: settings.portone.apiKey,
    apiSecret: settings.portone.apiSecret,
    webhookUrl: () => `${serviceUrl}/v1/webhooks/portone`,
    noticeUrlAllowed: noticeUrlPolicy(settings.sandboxNoticeUrlAllow ?? []),
  });
  return {
    faults,
    tossConfirm: toss.confirm,
    mounts: [
      ['/sandbox/toss', toss.router],
      ['/sandbox/portone', portone.router],
    ],
    jobs: [toss.webhooks, portone.webhooks],
    close: () => db.close(),
  };
}
