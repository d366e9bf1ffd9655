import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Application } from '../../../src/application/application';
import type { Clock } from '../../../src/application/ports/clock.port';
import type { RecordedEvent } from '../../../src/application/ports/event-store.port';
import type { Projection } from '../../../src/application/event-sourcing/projection';
import { loadSettings } from '../../../src/infrastructure/config/settings';
import { compose, type Composition } from '../../../src/infrastructure/composition/compose';
import { SqliteEventStore } from '../../../src/infrastructure/eventstore/sqlite/sqlite-event-store';
import { MemoryIdempotencyStore } from '../../../src/infrastructure/idempotency/memory-idempotency-store';
import type { ReadModelStore } from '../../../src/application/ports/read-model-store.port';
import { MemoryReadModelStore } from '../../../src/infrastructure/readmodels/memory/memory-read-model-store';
import { SqliteReadModelStore } from '../../../src/infrastructure/readmodels/sqlite/sqlite-read-model-store';
import { CrashingEventStore } from './crashing-event-store';
import { ScriptedPg } from './scripted-pg';

export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A clock the test moves; it never goes back. */
export class TestClock implements Clock {
  constructor(private instant: number) {}
  now(): number {
    return this.instant;
  }
  moveTo(instant: number): void {
    this.instant = Math.max(this.instant, instant);
  }
}

export interface WorldOptions {
  /** `sqlite`: persistent read models in the world's directory, kept across restarts. */
  readModels?: 'memory' | 'sqlite';
  /** Wraps the read-model store of a boot (e.g. one whose commit fails). */
  wrapReadModels?: (store: ReadModelStore) => ReadModelStore;
  projectorBatchSize?: number;
  /** Another version of a projection (compose's mapProjection). */
  mapProjection?: (projection: Projection) => Projection;
  /** false: builds beside the live read models advance only through projector.rebuildStep(). */
  rebuildInBackground?: boolean;
  /** SQLite read models: how long commits wait to be written together (0: each at once). */
  readModelFlushDelayMs?: number;
  /** Settings to load besides the world's own (DATA_DIR, PORT). */
  env?: Record<string, string>;
}

export interface ProcessWorld {
  /** The world's DATA_DIR. */
  dir: string;
  app: Application;
  /** The world's DATA_DIR (events.db, the sandbox seal key). */
  dataDir: string;
  store: CrashingEventStore;
  toss: ScriptedPg;
  portone: ScriptedPg;
  clock: TestClock;
  /** What the application reported as going wrong in the background (parked work, a job that threw). */
  reports: Array<{ source: string; message: string }>;
  /** The process died (an append threw): a fresh application on the same event store file. */
  restart(options?: WorldOptions): Promise<void>;
  /** Moves the clock, running every job at each instant it falls due (the sandbox clock's way). */
  advance(ms: number): Promise<void>;
  events(streamId: string): Promise<RecordedEvent[]>;
  types(streamId: string): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * The application tier's world: the real composition root on a temporary SQLite event store
 * (which can crash before a chosen append), read models in memory rebuilt at each start (or
 * SQLite ones kept across restarts), a
 * test clock and a scripted PG per provider that counts every call. The PGs outlive a restart,
 * as real PGs do.
 */
export async function startWorld(
  start = Date.parse('2026-03-01T00:00:00Z'),
  worldOptions: WorldOptions = {},
): Promise<ProcessWorld> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'll-app-'));
  const settings = loadSettings({ ...worldOptions.env, DATA_DIR: dir, PORT: '3999' });
  const clock = new TestClock(start);
  const toss = new ScriptedPg('toss', clock);
  const portone = new ScriptedPg('portone', clock);
  let composition: Composition;
  let store: CrashingEventStore;
  const reports: ProcessWorld['reports'] = [];

  const boot = async (options: WorldOptions) => {
    store = new CrashingEventStore(SqliteEventStore.open(path.join(dir, 'events.db')));
    const readModels =
      options.readModels === 'sqlite'
        ? SqliteReadModelStore.open(path.join(dir, 'read-models.db'), {
            flushDelayMs: options.readModelFlushDelayMs,
          })
        : new MemoryReadModelStore();
    composition = await compose(settings, {
      adapters: {
        clock,
        sandboxClock: null,
        eventStore: store,
        readModels: options.wrapReadModels?.(readModels) ?? readModels,
        idempotency: new MemoryIdempotencyStore(),
        gateways: [toss, portone],
      },
      report: (source, error) =>
        reports.push({ source, message: error instanceof Error ? error.message : String(error) }),
      projectorBatchSize: options.projectorBatchSize,
      mapProjection: options.mapProjection,
      rebuildInBackground: options.rebuildInBackground,
    });
    // No timer: time moves only when the test moves it.
    await composition.app.projector.start();
  };
  await boot(worldOptions);

  const world: ProcessWorld = {
    dir,
    get app() {
      return composition.app;
    },
    get store() {
      return store;
    },
    dataDir: dir,
    toss,
    portone,
    clock,
    reports,
    async restart(options = {}) {
      await composition.close().catch(() => undefined);
      await boot({ ...worldOptions, ...options });
    },
    async advance(ms) {
      await composition.app.scheduler.advanceTo(clock.now() + ms, (instant) => clock.moveTo(instant));
    },
    events: (streamId) => store.readStream(streamId),
    async types(streamId) {
      return (await store.readStream(streamId)).map((e) => e.type);
    },
    async close() {
      await composition.close().catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
  return world;
}
