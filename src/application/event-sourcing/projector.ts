import type { EventStore } from '../ports/event-store.port';
import type { ReadModelCheckpoint, ReadModelStore } from '../ports/read-model-store.port';
import { BatchWriter } from './batch-writer';
import { BuildBook, UnknownProjectionError, type RebuildStatus } from './build-book';
import type { Projection, ProjectionGroup } from './projection';
import { buildCheckpoint, LiveCollections } from './projection-builds';

export { UnknownProjectionError, type RebuildStatus } from './build-book';

/** The one checkpoint of every projection before they had their own (read once, to migrate). */
const LEGACY_CHECKPOINT = 'projections';

/**
 * Projections that share one checkpoint because some of them read, in the same batch, the
 * documents another one writes (a pending-work projection reading the order the orders
 * projection has just folded): they must always be at the same position. Applied in order.
 */
interface Waiter {
  position: number;
  resolve: (caughtUp: boolean) => void;
}

/**
 * Keeps the read models current: reads the event store in pages from the lowest checkpoint,
 * applies each event to every projection group that has not seen it yet, and commits the
 * batch's writes with each group's new checkpoint in one step. At start every group resumes
 * from its own checkpoint, so read models that are already there are not built again. Wakes on
 * appends made in this process and polls for the rest. A group whose projections changed
 * version, or that an operator asked to rebuild, is built again beside its live read models
 * (BuildBook), one batch between live catch-ups, and switched to once it agrees.
 */
export class Projector {
  private readonly groups: readonly ProjectionGroup[];
  /** Each group's checkpoint, as committed. */
  private readonly positions = new Map<string, number>();
  private readonly applied = new Map<string, number>();
  private readonly rebuilt = new Map<string, number>();
  /** Each group's builds (a missing record: build 0, every version 1), those under way. */
  private readonly builds: BuildBook;
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
    this.builds = new BuildBook(readModels, options.live ?? new LiveCollections());
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
    return this.builds.statuses();
  }

  /** Which build serves each collection: readers go through it (LiveReadModelStore). */
  get live(): LiveCollections {
    return this.builds.live;
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
        if (this.builds.building.get(group.name)?.disagreement !== null) await this.builds.startBuild(group);
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
      return [...this.builds.building.values()].some((b) => b.disagreement === null);
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
      const view = this.builds.liveView(writer);
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
        name: buildCheckpoint(g.name, this.builds.liveBuild(g).number),
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
    const under = [...this.builds.building].filter(([, b]) => b.disagreement === null);
    if (under.length === 0) return;
    const from = Math.min(...under.map(([, b]) => b.position));
    const batch = await this.events.readAll(from, this.options.batchSize);
    const last = batch[batch.length - 1];
    if (last) {
      const writer = new BatchWriter(this.readModels);
      const moved: ReadModelCheckpoint[] = [];
      for (const [name, b] of under) {
        // Never past the live build: an append read here but not yet by the live catch-up
        // would put the build ahead, and under steady appends it would never be switched to.
        const to = Math.min(last.globalPosition, this.positions.get(name) ?? 0);
        if (b.position >= to) continue;
        const group = this.groups.find((g) => g.name === name)!;
        const view = this.builds.buildView(writer, b.record);
        for (const event of batch) {
          if (event.globalPosition <= b.position) continue;
          if (event.globalPosition > to) break;
          for (const projection of group.projections) {
            await projection.apply(event, view);
            this.rebuilt.set(projection.name, (this.rebuilt.get(projection.name) ?? 0) + 1);
          }
        }
        moved.push({ name: buildCheckpoint(name, b.record.number), position: to });
      }
      if (moved.length > 0) await this.readModels.commit(writer.writes(), moved);
      for (const [name, b] of under) {
        b.position = Math.max(b.position, Math.min(last.globalPosition, this.positions.get(name) ?? 0));
      }
    }
    for (const [name, b] of under) {
      if (b.position === this.positions.get(name)) await this.builds.switchIfAgreed(name, b);
    }
  }

  /**
   * Each group's builds and checkpoints. A store written before groups had their own
   * checkpoints has only the shared one: every group starts from it, instead of folding its
   * events again. A group whose live build folds other versions than the code's gets a build
   * beside it (or goes on with the one a crash interrupted, from its checkpoint).
   */
  private async loadCheckpoints(): Promise<void> {
    for (const group of this.groups) {
      const checkpoint = await this.builds.loadRecord(group);
      this.positions.set(group.name, await this.readModels.checkpoint(checkpoint));
    }
    if ([...this.positions.values()].every((p) => p === 0)) {
      const legacy = await this.readModels.checkpoint(LEGACY_CHECKPOINT);
      if (legacy > 0) for (const group of this.groups) this.positions.set(group.name, legacy);
    }
    for (const group of this.groups) await this.builds.loadBuilds(group, this.positionOf(group));
    this.position = this.lowest();
    this.loaded = true;
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
      if (rebuilding && this.lastError === null) {
        // The store's calls may complete without a turn of the event loop: give requests theirs
        // between two batches of a rebuild, so the service answers throughout.
        await new Promise<void>((resolve) => setImmediate(resolve));
        continue;
      }
      if (this.dirty && this.lastError === null) continue;
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
