import fs from 'node:fs';
import path from 'node:path';
import type { Projector } from '../../application/event-sourcing/projector';
import type { EventStore } from '../../application/ports/event-store.port';

/**
 * How `npm run projections:rebuild` reaches a running service: the service holds the DATA_DIR
 * lock, so the command leaves a request file there (one per request, so two commands never
 * overwrite each other's), and the service (which checks every second) takes it, starts the
 * rebuild beside its live read models, and writes its progress to a status file until the
 * switch. A request that comes while a rebuild is under way joins it (the builds under way go on
 * anyway): the status answers every request it took, so no command loses sight of its own.
 * Whoever can write DATA_DIR may ask; nothing else is exposed.
 */
export const REQUEST_FILE_PREFIX = 'projections-rebuild.request.';
export const STATUS_FILE = 'projections-rebuild.status.json';

export const requestFileName = (id: string): string => `${REQUEST_FILE_PREFIX}${id}.json`;

export interface RebuildRequest {
  id: string;
  /** Projection or group names; empty: every projection. */
  names: string[];
}

/** One request the status answers: the groups it asked for, or why it was refused. */
export interface AnsweredRequest {
  id: string;
  groups: string[];
  error: string | null;
}

export interface RebuildStatus {
  /** Every request this rebuild answers (later ones joined it, or were refused). */
  requests: AnsweredRequest[];
  /** The groups being rebuilt: all the requests' together. */
  groups: string[];
  /** The lowest position the rebuilds have folded, and the event store's head. */
  position: number;
  head: number;
  /** Builds that caught up but were not switched, with why ("<group>: <why>"). */
  disagreements: string[];
  done: boolean;
  /** When the service wrote this (ISO 8601): it writes every second while it works. */
  updatedAt: string;
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
  private current: { requests: AnsweredRequest[]; groups: string[] } | null = null;
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

  /** One look for request files and, while a rebuild runs, one progress report. */
  async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      for (const file of this.requestFiles()) await this.take(file);
      if (this.current !== null) await this.progress(this.current);
    } catch (error) {
      this.report('projections-rebuild', error);
    } finally {
      this.busy = false;
    }
  }

  private requestFiles(): string[] {
    return fs
      .readdirSync(this.dataDir)
      .filter((name) => name.startsWith(REQUEST_FILE_PREFIX) && name.endsWith('.json'))
      .map((name) => path.join(this.dataDir, name));
  }

  private async take(file: string): Promise<void> {
    const request = readJsonFile<RebuildRequest>(file);
    if (request === null) return; // half written (never: written whole) or gone
    fs.rmSync(file, { force: true });
    let answer: AnsweredRequest;
    try {
      answer = { id: request.id, groups: await this.projector.rebuild(request.names), error: null };
    } catch (error) {
      answer = { id: request.id, groups: [], error: error instanceof Error ? error.message : String(error) };
    }
    // It joins the rebuild under way (a refused one too: the next status tells its command why).
    this.current ??= { requests: [], groups: [] };
    this.current.requests.push(answer);
    this.current.groups = [...new Set([...this.current.groups, ...answer.groups])];
  }

  private async progress(current: { requests: AnsweredRequest[]; groups: string[] }): Promise<void> {
    const progress = await rebuildProgress(this.projector, this.events, current.groups);
    this.write({ requests: current.requests, groups: current.groups, ...progress });
    if (progress.done) this.current = null;
  }

  private write(status: Omit<RebuildStatus, 'updatedAt'>): void {
    writeJsonFile(path.join(this.dataDir, STATUS_FILE), { ...status, updatedAt: new Date().toISOString() });
  }
}
