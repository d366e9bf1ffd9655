import fs from 'node:fs';
import path from 'node:path';
import type { Projector } from '../../application/event-sourcing/projector';
import type { EventStore } from '../../application/ports/event-store.port';

/**
 * How `npm run projections:rebuild` reaches a running service: the service holds the DATA_DIR
 * lock, so the command leaves a request file there, and the service (which checks every second)
 * takes it, starts the rebuild beside its live read models, and writes its progress to a status
 * file until the switch. Whoever can write DATA_DIR may ask; nothing else is exposed.
 */
export const REQUEST_FILE = 'projections-rebuild.request.json';
export const STATUS_FILE = 'projections-rebuild.status.json';

export interface RebuildRequest {
  id: string;
  /** Projection or group names; empty: every projection. */
  names: string[];
}

export interface RebuildStatus {
  id: string;
  /** The groups being rebuilt, once the request was taken. */
  groups: string[];
  /** The lowest position the rebuilds have folded, and the event store's head. */
  position: number;
  head: number;
  /** Builds that caught up but were not switched, with why. */
  disagreements: string[];
  done: boolean;
  error: string | null;
}

/** Writes a JSON file whole or not at all (a reader never sees half of it). */
export function writeJsonFile(file: string, value: unknown): void {
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(value));
  fs.renameSync(temporary, file);
}

export function readJsonFile<T>(file: string): T | null {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as T;
  } catch {
    return null; // missing, or not JSON
  }
}

/** What the projector's rebuilds of `groups` have done so far. */
export async function rebuildProgress(
  projector: Projector,
  events: EventStore,
  groups: readonly string[],
): Promise<Pick<RebuildStatus, 'position' | 'head' | 'disagreements' | 'done'>> {
  const head = await events.headPosition();
  const mine = projector.rebuilds.filter((r) => groups.includes(r.group));
  const under = mine.filter((r) => r.disagreement === null);
  return {
    position: under.length === 0 ? head : Math.min(...under.map((r) => r.position)),
    head,
    disagreements: mine.flatMap((r) => (r.disagreement === null ? [] : [`${r.group}: ${r.disagreement}`])),
    done: under.length === 0,
  };
}

/** The running service's side: takes requests and reports progress, every `intervalMs`. */
export class RebuildRequests {
  private timer: NodeJS.Timeout | null = null;
  private current: { id: string; groups: string[] } | null = null;
  private busy = false;

  constructor(
    private readonly dataDir: string,
    private readonly projector: Projector,
    private readonly events: EventStore,
    private readonly report: (source: string, error: unknown) => void,
  ) {}

  start(intervalMs = 1_000): void {
    this.timer ??= setInterval(() => void this.tick(), intervalMs).unref();
  }

  stop(): void {
    if (this.timer !== null) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at the request file and, while a rebuild runs, one progress report. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.take();
      if (this.current !== null) await this.progress(this.current);
    } catch (error) {
      this.report('projections-rebuild', error);
    } finally {
      this.busy = false;
    }
  }

  private async take(): Promise<void> {
    const file = path.join(this.dataDir, REQUEST_FILE);
    const request = readJsonFile<RebuildRequest>(file);
    if (request === null) return;
    fs.rmSync(file, { force: true });
    try {
      const groups = await this.projector.rebuild(request.names);
      this.current = { id: request.id, groups };
    } catch (error) {
      this.write({
        id: request.id,
        groups: [],
        position: 0,
        head: 0,
        disagreements: [],
        done: true,
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  private async progress(current: { id: string; groups: string[] }): Promise<void> {
    const progress = await rebuildProgress(this.projector, this.events, current.groups);
    this.write({ id: current.id, groups: current.groups, ...progress, error: null });
    if (progress.done) this.current = null;
  }

  private write(status: RebuildStatus): void {
    writeJsonFile(path.join(this.dataDir, STATUS_FILE), status);
  }
}
