import type { EventStore } from '../ports/event-store.port';
import type { ReadModelCheckpoint, ReadModelStore } from '../ports/read-model-store.port';
import { BatchWriter } from './batch-writer';
import type { Projection, ProjectionWriter } from './projection';
import {
  BUILDS_COLLECTION,
  buildCheckpoint,
  buildNames,
  codeVersions,
  LiveCollections,
  physicalCollection,
  sameVersions,
  type BuildRecord,
  type GroupBuilds,
} from './projection-builds';

/** The one checkpoint of every projection before they had their own (read once, to migrate). */
const LEGACY_CHECKPOINT = 'projections';

/**
 * Projections that share one checkpoint because some of them read, in the same batch, the
 * documents another one writes (a pending-work projection reading the order the orders
 * projection has just folded): they must always be at the same position. Applied in order.
 */
export interface ProjectionGroup {
  /** The checkpoint's name. */
  readonly name: string;
  readonly projections: readonly Projection[];
}

interface Waiter {
  position: number;
  resolve: (caughtUp: boolean) => void;
}

/** A build being made beside the live one, and how far it has folded. */
interface Building {
  record: BuildRecord;
  position: number;
  /** Caught up, but its counts disagreed with the live build's: not switched (see rebuildStatus). */
  disagreement: string | null;
}

/** What a rebuild has done so far (the CLI's progress bar, /health). */
export interface RebuildStatus {
  group: string;
  build: number;
  position: number;
  /** Why it was not switched although caught up (its counts against the live build's). */
  disagreement: string | null;
}

export class UnknownProjectionError extends Error {
  constructor(readonly names: readonly string[]) {
    super(`no projection or projection group named ${names.join(', ')}`);
    this.name = 'UnknownProjectionError';
  }
}

/**
 * Keeps the read models current: reads the event store in pages from the lowest checkpoint,
 * applies each event to every projection group that has not seen it yet, and commits the
 * batch's writes with each group's new checkpoint in one step. At start every group resumes
 * from its own checkpoint, so read models that are already there are not built again. Wakes on
 * appends made in this process and polls for the rest.
 */
export class Projector {
  private readonly groups: readonly ProjectionGroup[];
  /** Each group's checkpoint, as committed. */
  private readonly positions = new Map<string, number>();
  private readonly applied = new Map<string, number>();
  private readonly rebuilt = new Map<string, number>();
  /** Each group's builds, as stored (a missing record: build 0, every version 1). */
  private readonly records = new Map<string, GroupBuilds>();
  private readonly building = new Map<string, Building>();
  /** Which build serves each collection: readers go through it (LiveReadModelStore). */
  readonly live: LiveCollections;
  /** The lowest checkpoint: every read model includes every event up to here. */
  private position = 0;
  private running = false;
  private reachedHead = false;
  private loaded = false;
  private wakeUp: (() => void) | null = null;
  private waiters: Waiter[] = [];
  private loop: Promise<void> | null = null;
  private lastError: unknown = null;
  private dirty = false;
  /** catchUp runs one at a time: two concurrent drains would apply a batch twice. */
  private draining: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    /** A bare projection is a group of its own, named after it. */
    groups: ReadonlyArray<Projection | ProjectionGroup>,
    private readonly options: {
      batchSize: number;
      pollMs: number;
      live?: LiveCollections;
      /** false: builds beside the live ones advance only through rebuildStep() (tests). */
      rebuildInBackground?: boolean;
    } = { batchSize: 500, pollMs: 250 },
  ) {
    this.live = options.live ?? new LiveCollections();
    this.groups = groups.map((g) => ('projections' in g ? g : { name: g.name, projections: [g] }));
    const names = new Set(this.groups.map((g) => g.name));
    if (names.size !== this.groups.length) throw new Error('projection group names must be unique');
    for (const group of this.groups) {
      for (const projection of group.projections) {
        this.applied.set(projection.name, 0);
        this.rebuilt.set(projection.name, 0);
      }
    }
  }

  /** The position every read model has reached (the lowest group checkpoint). */
  get checkpoint(): number {
    return this.position;
  }

  /** Each group's checkpoint, by name. */
  get checkpoints(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.positions);
  }

  /**
   * Whether start() has caught the read models up with the head of the event store as it was
   * when they started (what /health/ready reports); false again once stopped.
   */
  get caughtUp(): boolean {
    return this.reachedHead;
  }

  /** Events applied since this projector was made, per projection: the work a start did. */
  get appliedEvents(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.applied);
  }

  /** Events folded into builds made beside the live ones since this projector was made, per projection. */
  get rebuiltEvents(): Readonly<Record<string, number>> {
    return Object.fromEntries(this.rebuilt);
  }

  /** The builds being made beside the live ones. */
  get rebuilds(): RebuildStatus[] {
    return [...this.building].map(([group, b]) => ({
      group,
      build: b.record.number,
      position: b.position,
      disagreement: b.disagreement,
    }));
  }

  get failure(): unknown {
    return this.lastError;
  }

  /** Catches up with everything already stored, then keeps following. */
  async start(): Promise<void> {
    await this.catchUp();
    this.reachedHead = true;
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.reachedHead = false;
    this.wake();
    await this.loop;
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  /** Something was appended (at `position`, when known): catch up, unless it is projected already. */
  wake(position?: number): void {
    if (position !== undefined && position <= this.position) return;
    this.dirty = true;
    this.wakeUp?.();
  }

  /** Resolves true once the read models include `position`, or false after `timeoutMs`. */
  waitFor(position: number, timeoutMs = 2_000): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    this.wake();
    return new Promise((resolve) => {
      const waiter: Waiter = { position, resolve };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      waiter.resolve = (caughtUp) => {
        clearTimeout(timer);
        resolve(caughtUp);
      };
      this.waiters.push(waiter);
    });
  }

  /** Applies every stored event not yet projected. */
  catchUp(): Promise<void> {
    const run = this.draining.then(() => this.drain());
    this.draining = run.catch(() => undefined);
    return run;
  }

  /**
   * Builds the named projections (or groups; none: all of them) again from the event store,
   * beside the live read models, which keep serving until the new build has caught up and
   * agrees (see rebuildStep). A group already being rebuilt goes on with that build, unless
   * that one disagreed.
   */
  rebuild(names: readonly string[] = []): Promise<string[]> {
    const run = this.draining.then(async () => {
      if (!this.loaded) await this.loadCheckpoints();
      const unknown = names.filter(
        (n) => !this.groups.some((g) => g.name === n || g.projections.some((p) => p.name === n)),
      );
      if (unknown.length > 0) throw new UnknownProjectionError(unknown);
      const chosen = this.groups.filter(
        (g) =>
          names.length === 0 || names.some((n) => g.name === n || g.projections.some((p) => p.name === n)),
      );
      // A build under way goes on; one that disagreed is replaced by a fresh one.
      for (const group of chosen) {
        if (this.building.get(group.name)?.disagreement !== null) await this.startBuild(group);
      }
      this.wake();
      return chosen.map((g) => g.name);
    });
    this.draining = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * One batch of every build being made beside the live read models (the live ones are caught up
   * first, so a rebuild never delays a command's read-your-writes by more than one batch), then
   * the switch of each build that has caught up. Resolves whether a build is still under way.
   */
  rebuildStep(): Promise<boolean> {
    const run = this.draining.then(async () => {
      await this.drain();
      await this.foldBuilding();
      return [...this.building.values()].some((b) => b.disagreement === null);
    });
    this.draining = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  private async drain(): Promise<void> {
    if (!this.loaded) await this.loadCheckpoints();
    for (;;) {
      const batch = await this.events.readAll(this.position, this.options.batchSize);
      const last = batch[batch.length - 1];
      if (!last) return;
      const writer = new BatchWriter(this.readModels);
      const view = this.liveView(writer);
      const behind = this.groups.filter((g) => this.positionOf(g) < last.globalPosition);
      // Event by event, each group's projections in order: a projection reading another's
      // document sees it folded up to this very event.
      for (const event of batch) {
        for (const group of behind) {
          if (event.globalPosition <= this.positionOf(group)) continue;
          for (const projection of group.projections) {
            await projection.apply(event, view);
            this.applied.set(projection.name, (this.applied.get(projection.name) ?? 0) + 1);
          }
        }
      }
      const moved: ReadModelCheckpoint[] = behind.map((g) => ({
        name: buildCheckpoint(g.name, this.liveBuild(g).number),
        position: last.globalPosition,
      }));
      await this.readModels.commit(writer.writes(), moved);
      for (const group of behind) this.positions.set(group.name, last.globalPosition);
      this.position = this.lowest();
      this.release();
      // A short page was everything there was: asking again would only find nothing.
      if (batch.length < this.options.batchSize) return;
    }
  }

  /** One batch of the builds under way, into their own collections, then the switches due. */
  private async foldBuilding(): Promise<void> {
    const under = [...this.building].filter(([, b]) => b.disagreement === null);
    if (under.length === 0) return;
    const from = Math.min(...under.map(([, b]) => b.position));
    const batch = await this.events.readAll(from, this.options.batchSize);
    const last = batch[batch.length - 1];
    if (last) {
      const writer = new BatchWriter(this.readModels);
      const moved: ReadModelCheckpoint[] = [];
      for (const [name, b] of under) {
        if (b.position >= last.globalPosition) continue;
        const group = this.groups.find((g) => g.name === name)!;
        const view = this.buildView(writer, b.record);
        for (const event of batch) {
          if (event.globalPosition <= b.position) continue;
          for (const projection of group.projections) {
            await projection.apply(event, view);
            this.rebuilt.set(projection.name, (this.rebuilt.get(projection.name) ?? 0) + 1);
          }
        }
        moved.push({ name: buildCheckpoint(name, b.record.number), position: last.globalPosition });
      }
      if (moved.length > 0) await this.readModels.commit(writer.writes(), moved);
      for (const [, b] of under) b.position = Math.max(b.position, last.globalPosition);
    }
    for (const [name, b] of under) {
      if (b.position === this.positions.get(name)) await this.switchIfAgreed(name, b);
    }
  }

  /**
   * A build that has reached the live one's position replaces it when every collection both
   * builds write holds as many documents in each (the same events folded by the same rules give
   * the same documents; a version that keeps a different set of documents names a new
   * collection). The switch is one commit of the group's record; the old build is dropped after.
   */
  private async switchIfAgreed(name: string, b: Building): Promise<void> {
    const record = this.records.get(name)!;
    const differences: string[] = [];
    for (const collection of b.record.collections) {
      if (!record.live.collections.includes(collection)) continue;
      const old = await this.readModels.count(physicalCollection(collection, record.live.number));
      const built = await this.readModels.count(physicalCollection(collection, b.record.number));
      if (old !== built) differences.push(`${collection}: ${built} documents, the live build has ${old}`);
    }
    if (differences.length > 0) {
      // The live build keeps serving; the operator sees why in `rebuilds` (and the CLI).
      b.disagreement = differences.join('; ');
      return;
    }
    const switched: GroupBuilds = {
      group: name,
      live: b.record,
      building: null,
      retired: [...record.retired, record.live],
    };
    await this.saveRecord(switched);
    this.building.delete(name);
    this.live.set(record.live.collections, 0);
    this.live.set(b.record.collections, b.record.number);
    await this.dropRetired(switched);
  }

  private async startBuild(group: ProjectionGroup): Promise<void> {
    const record = this.recordOf(group);
    const taken = [record.live, ...(record.building ? [record.building] : []), ...record.retired];
    const build: BuildRecord = {
      number: Math.max(...taken.map((b) => b.number)) + 1,
      versions: codeVersions(group.projections),
      collections: groupCollections(group),
    };
    const next: GroupBuilds = {
      ...record,
      building: build,
      retired: record.building ? [...record.retired, record.building] : record.retired,
    };
    await this.saveRecord(next);
    await this.dropRetired(next);
    this.building.set(group.name, { record: build, position: 0, disagreement: null });
  }

  private async saveRecord(record: GroupBuilds): Promise<void> {
    await this.readModels.commit([{ collection: BUILDS_COLLECTION, id: record.group, doc: record }], []);
    this.records.set(record.group, record);
  }

  private async dropRetired(record: GroupBuilds): Promise<void> {
    if (record.retired.length === 0) return;
    const names = record.retired.map((b) => buildNames(record.group, b));
    await this.readModels.drop(
      names.flatMap((n) => n.collections),
      names.map((n) => n.checkpoint),
    );
    await this.saveRecord({ ...record, retired: [] });
  }

  private recordOf(group: ProjectionGroup): GroupBuilds {
    return (
      this.records.get(group.name) ?? {
        group: group.name,
        live: {
          number: 0,
          versions: Object.fromEntries(group.projections.map((p) => [p.name, 1])),
          collections: groupCollections(group),
        },
        building: null,
        retired: [],
      }
    );
  }

  private liveBuild(group: ProjectionGroup): BuildRecord {
    return this.recordOf(group).live;
  }

  /** The batch's writes under the live builds' names. */
  private liveView(writer: BatchWriter): ProjectionWriter {
    return this.renamed(writer, (c) => this.live.physical(c));
  }

  /** The batch's writes into a build's own collections (others read as they are live). */
  private buildView(writer: BatchWriter, build: BuildRecord): ProjectionWriter {
    const own = new Set(build.collections);
    return this.renamed(writer, (c) =>
      own.has(c) ? physicalCollection(c, build.number) : this.live.physical(c),
    );
  }

  private renamed(writer: BatchWriter, name: (collection: string) => string): ProjectionWriter {
    return {
      get: (collection, id) => writer.get(name(collection), id),
      put: (collection, id, doc) => writer.put(name(collection), id, doc),
      delete: (collection, id) => writer.delete(name(collection), id),
    };
  }

  /**
   * Each group's builds and checkpoints. A store written before groups had their own
   * checkpoints has only the shared one: every group starts from it, instead of folding its
   * events again. A group whose live build folds other versions than the code's gets a build
   * beside it (or goes on with the one a crash interrupted, from its checkpoint).
   */
  private async loadCheckpoints(): Promise<void> {
    for (const group of this.groups) {
      const record = await this.readModels.get<GroupBuilds>(BUILDS_COLLECTION, group.name);
      if (record !== null) this.records.set(group.name, record);
      const live = this.liveBuild(group);
      this.live.set(live.collections, live.number);
      this.positions.set(
        group.name,
        await this.readModels.checkpoint(buildCheckpoint(group.name, live.number)),
      );
    }
    if ([...this.positions.values()].every((p) => p === 0)) {
      const legacy = await this.readModels.checkpoint(LEGACY_CHECKPOINT);
      if (legacy > 0) for (const group of this.groups) this.positions.set(group.name, legacy);
    }
    for (const group of this.groups) await this.loadBuilds(group);
    this.position = this.lowest();
    this.loaded = true;
  }

  private async loadBuilds(group: ProjectionGroup): Promise<void> {
    const record = this.recordOf(group);
    const code = codeVersions(group.projections);
    await this.dropRetired(record);
    if (!sameVersions(record.live.versions, code) && this.positionOf(group) === 0) {
      // Nothing built yet: the first build simply folds the code's versions.
      await this.saveRecord({ ...this.recordOf(group), live: { ...record.live, versions: code } });
      return;
    }
    const { building } = this.recordOf(group);
    const wanted = !sameVersions(record.live.versions, code);
    if (building !== null && sameVersions(building.versions, code)) {
      const position = await this.readModels.checkpoint(buildCheckpoint(group.name, building.number));
      this.building.set(group.name, { record: building, position, disagreement: null });
    } else if (building !== null || wanted) {
      // A build of versions the code no longer has is dropped; a new one starts if needed.
      if (wanted) await this.startBuild(group);
      else {
        const next = {
          ...this.recordOf(group),
          building: null,
          retired: [...this.recordOf(group).retired, building!],
        };
        await this.saveRecord(next);
        await this.dropRetired(next);
      }
    }
  }

  private positionOf(group: ProjectionGroup): number {
    return this.positions.get(group.name) ?? 0;
  }

  private lowest(): number {
    let lowest = Number.POSITIVE_INFINITY;
    for (const group of this.groups) lowest = Math.min(lowest, this.positionOf(group));
    return lowest === Number.POSITIVE_INFINITY ? 0 : lowest;
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.position <= this.position);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const waiter of ready) waiter.resolve(true);
  }

  private async follow(): Promise<void> {
    while (this.running) {
      this.dirty = false;
      let rebuilding = false;
      try {
        if (this.options.rebuildInBackground === false) await this.catchUp();
        else rebuilding = await this.rebuildStep();
        this.lastError = null;
      } catch (error) {
        // A projection bug or a read-model outage must not kill the service; retry on the next tick.
        this.lastError = error;
      }
      if ((this.dirty || rebuilding) && this.lastError === null) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}

/** Every collection a group's projections write. */
function groupCollections(group: ProjectionGroup): string[] {
  return [...new Set(group.projections.flatMap((p) => p.collections))];
}
