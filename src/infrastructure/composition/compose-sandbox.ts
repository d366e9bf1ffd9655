import path from 'node:path';
import { Scheduler } from '../../application/jobs/scheduler';
import { SandboxClock } from '../clock/sandbox-clock';
import type { SandboxSettings } from '../config/sandbox-settings';
import type { ErrorReporter } from './compose';
import { createSandboxPgs, type SandboxPgs } from './sandbox-pgs';

export interface SandboxComposition {
  settings: SandboxSettings;
  clock: SandboxClock;
  pgs: SandboxPgs;
  /** The sandbox PGs' webhook deliveries (and their retries) on the sandbox clock. */
  scheduler: Scheduler;
  start(options?: { schedulerIntervalMs?: number }): void;
  close(): Promise<void>;
}

/**
 * The composition root of `npm run sandbox`: the PG sandboxes alone, with their own clock in
 * DATA_DIR, sending webhooks to the service's URL, as a real PG outside the service would.
 */
export function composeSandbox(settings: SandboxSettings, report: ErrorReporter): SandboxComposition {
  const clock = new SandboxClock(path.join(settings.dataDir, 'sandbox-clock.json'));
  const pgs = createSandboxPgs(settings, clock, settings.serviceUrl);
  const scheduler = new Scheduler(pgs.jobs, clock, async () => undefined, report);
  return {
    settings,
    clock,
    pgs,
    scheduler,
    start: (options = {}) => scheduler.start(options.schedulerIntervalMs ?? 1_000),
    async close() {
      await scheduler.stop();
      pgs.close();
    },
  };
}
