import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Settings } from '../config/settings';
import { compose } from './compose';
import { DataDirInUseError, lockDataDir } from './data-dir-lock';
import {
  readJsonFile,
  rebuildProgress,
  requestFileName,
  STATUS_FILE,
  writeJsonFile,
  type RebuildStatus,
} from './rebuild-requests';

export interface RebuildProgress {
  groups: string[];
  position: number;
  head: number;
}

export interface RebuildOutcome {
  groups: string[];
  /** `service`: the running service did it beside its live read models; `here`: this process did. */
  by: 'service' | 'here';
  /** Builds that caught up but were not switched (their counts disagree), with why. */
  disagreements: string[];
}

export interface RebuildOptions {
  onProgress?: (progress: RebuildProgress) => void;
  pollMs?: number;
  /** How long a running service may take to pick the request up (default 10 s). */
  pickUpTimeoutMs?: number;
  /** How long the service may go without reporting on a request it took (default 30 s). */
  staleAfterMs?: number;
}

export const DEFAULT_STALE_AFTER_MS = 30_000;

/**
 * `npm run projections:rebuild [name...]`: builds the named projections (none: all) again from
 * the event store beside the live read models and switches to them once they have caught up and
 * agree. When the service runs (it holds the DATA_DIR lock) it is asked through DATA_DIR and does
 * the work itself, with no downtime; otherwise this process takes the lock and does it.
 */
export async function rebuildProjections(
  settings: Settings,
  names: readonly string[],
  options: RebuildOptions = {},
): Promise<RebuildOutcome> {
  let lock;
  try {
    lock = lockDataDir(settings.dataDir);
  } catch (error) {
    if (error instanceof DataDirInUseError) return askService(settings.dataDir, names, options);
    throw error;
  }
  try {
    const composition = await compose(settings);
    try {
      const { projector, eventStore } = composition.app;
      await projector.start();
      const groups = await projector.rebuild(names);
      for (;;) {
        const progress = await rebuildProgress(projector, eventStore, groups);
        options.onProgress?.({ groups, position: progress.position, head: progress.head });
        if (progress.done) return { groups, by: 'here', disagreements: progress.disagreements };
        await projector.rebuildStep();
      }
    } finally {
      await composition.close();
    }
  } finally {
    lock.release();
  }
}

async function askService(
  dataDir: string,
  names: readonly string[],
  options: RebuildOptions,
): Promise<RebuildOutcome> {
  const id = randomUUID();
  const requestFile = path.join(dataDir, requestFileName(id));
  writeJsonFile(requestFile, { id, names: [...names] });
  const pollMs = options.pollMs ?? 250;
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
  const deadline = Date.now() + (options.pickUpTimeoutMs ?? 10_000);
  let lastHeard = Date.now();
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    const status = readJsonFile<RebuildStatus>(path.join(dataDir, STATUS_FILE));
    const mine = status?.requests?.find((r) => r.id === id);
    if (fs.existsSync(requestFile)) {
      if (Date.now() <= deadline) continue;
      fs.rmSync(requestFile, { force: true });
      throw new Error(`the service holding DATA_DIR ${dataDir} did not take the rebuild request`);
    }
    if (status !== null && mine !== undefined) {
      if (mine.error !== null) throw new Error(mine.error);
      options.onProgress?.({ groups: mine.groups, position: status.position, head: status.head });
      if (status.done) {
        const disagreements = status.disagreements.filter((d) =>
          mine.groups.some((g) => d.startsWith(`${g}: `)),
        );
        return { groups: mine.groups, by: 'service', disagreements };
      }
      lastHeard = Math.max(lastHeard, Date.parse(status.updatedAt));
    }
    // Taken, but the service went quiet: it stopped (or died) mid-rebuild.
    if (Date.now() - lastHeard > staleAfterMs) {
      throw new Error(
        `the service holding DATA_DIR ${dataDir} stopped reporting on the rebuild (no update for ${staleAfterMs / 1_000} s)`,
      );
    }
  }
}
