import type { Doc, ReadModelCheckpoint } from '../../../application/ports/read-model-store.port';
import { SqliteReadModelWriter } from './sqlite-read-model-writer';
import type { WireDoc } from './sqlite-read-model-writer-worker';
import { UnflushedWrites } from './unflushed-writes';

/** Accepted writes that make a window at once rather than after the delay. */
export const FLUSH_AT_WRITES = 4_096;
/**
 * How many windows a query writes, at most, before it walks the file's index with commits to its
 * collection still waiting (they keep coming under load): its documents are then the newest.
 */
const FLUSHES_PER_QUERY = 4;

export interface WriteWindowOptions {
  filePath: string;
  busyTimeoutMs: number;
  /** How long accepted commits may wait to be written together; 0: at once. */
  flushDelayMs: number;
  /**
   * The collections a window wrote, once it has committed: each has a table now (the writer
   * thread makes a missing one), so the reading connection knows them, whoever made the table.
   */
  onCollectionsWritten: (collections: string[]) => void;
}

/**
 * The SQLite read-model store's commits between acceptance and the file: the window gathering
 * (UnflushedWrites) and the one the writer thread is writing, both read by the store before the
 * file. One window in flight at a time; a failed one comes back under the newer commits and is
 * tried again; a full one goes at once, and its producer waits for the one before it.
 */
export class WriteWindows {
  private unflushed = new UnflushedWrites();
  private inFlight: { writes: UnflushedWrites; done: Promise<void> } | null = null;
  /** Commits accepted so far, and how many of them the file holds. */
  private accepted = 0;
  private written = 0;
  /** Made on the first window: a store that only reads (the audit's) starts no thread. */
  private writer: SqliteReadModelWriter | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Inside `exclusive`: no window is sent but by its own flush. */
  private held: Promise<void> | null = null;
  /** Why the last window failed (kept until one succeeds). */
  failure: unknown = null;

  constructor(private readonly options: WriteWindowOptions) {}

  /** The document as last accepted: undefined when no waiting window touches it, null when deleted. */
  get(collection: string, id: string): Doc | null | undefined {
    const waiting = this.unflushed.get(collection, id);
    return waiting !== undefined ? waiting : this.inFlight?.writes.get(collection, id);
  }

  checkpoint(name: string): number | undefined {
    return this.unflushed.checkpoint(name) ?? this.inFlight?.writes.checkpoint(name);
  }

  markAbsent(collection: string, id: string): void {
    this.unflushed.markAbsent(collection, id);
  }

  /** The ids of the documents the writes not yet in the file put in the collection (deletions aside). */
  *idsPut(collection: string): Generator<string> {
    for (const writes of [this.inFlight?.writes, this.unflushed]) {
      for (const [id, doc] of writes?.byCollection().get(collection) ?? []) if (doc !== null) yield id;
    }
  }

  /** Whether the collection has writes the file does not hold yet (waiting or in flight). */
  waitingFor(collection: string): boolean {
    return this.unflushed.touches(collection) || this.inFlight?.writes.touches(collection) === true;
  }

  /**
   * Before a commit is accepted: while the file refuses writes, a full window is tried again
   * first, so the commit fails whole (memory stays bounded), never after it was accepted.
   */
  async beforeAccept(): Promise<void> {
    if (this.failure !== null && this.unflushed.size >= FLUSH_AT_WRITES) await this.flush();
  }

  /**
   * One commit's writes. Accepted: a failed write from here on must not fail the commit, or its
   * caller would fold the same events again onto documents that already hold them; it is retried.
   */
  async accept(
    writes: ReadonlyArray<{ collection: string; id: string; doc: Doc | null }>,
    checkpoints: readonly ReadModelCheckpoint[],
  ): Promise<void> {
    for (const { collection, id, doc } of writes) this.unflushed.put(collection, id, doc);
    for (const checkpoint of checkpoints) this.unflushed.move(checkpoint);
    this.accepted++;
    if (this.options.flushDelayMs <= 0) await this.flushLater();
    else if (this.unflushed.size >= FLUSH_AT_WRITES) await this.sendFullWindow();
    else this.schedule();
  }

  /**
   * Writes every commit accepted so far (the window in flight first, then the rest in one
   * transaction). Throws when that fails; the writes keep waiting for the next try.
   */
  async flush(): Promise<void> {
    if (this.timer !== null) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    const target = this.accepted;
    while (this.written < target && !this.stopped) {
      if (this.inFlight !== null) await this.inFlight.done;
      else await this.send();
    }
  }

  /** Writes what waits when `collection` has writes waiting: its reads then see them in the file. */
  async flushFor(collection: string): Promise<void> {
    for (let i = 0; i < FLUSHES_PER_QUERY && this.waitingFor(collection); i++) await this.flush();
  }

  /**
   * Runs `change` (synchronous: the reading connection changes the schema) with no window in
   * flight, the writes accepted so far written first when `writeFirst`; no timer or full window
   * sends one meanwhile, and the check that none is in flight and `change` run in one turn.
   * Afterwards the writer thread forgets what it knew of the schema.
   */
  async exclusive<T>(writeFirst: boolean, change: () => T): Promise<T> {
    while (this.held !== null) await this.held;
    let release = () => {};
    this.held = new Promise<void>((resolve) => (release = resolve));
    try {
      if (writeFirst) await this.flush();
      for (;;) {
        if (this.inFlight === null) {
          const result = change();
          this.writer?.forget();
          return result;
        }
        await this.inFlight.done.catch(() => undefined);
      }
    } finally {
      this.held = null;
      release();
      if (!this.unflushed.empty) this.schedule();
    }
  }

  /** Forgets a dropped collection's waiting writes (inside `exclusive`). */
  forget(collection: string): void {
    this.unflushed.forget(collection);
  }

  /** Forgets a deleted checkpoint's waiting position (inside `exclusive`). */
  forgetCheckpoint(name: string): void {
    this.unflushed.forgetCheckpoint(name);
  }

  /** Everything waiting is dropped with the file's contents (inside `exclusive`). */
  discard(): void {
    this.unflushed.clear();
    this.written = this.accepted;
    this.failure = null;
  }

  /** After a last `flush`: no more windows; the writer thread closes. */
  async close(): Promise<void> {
    this.stopped = true;
    if (this.timer !== null) clearTimeout(this.timer);
    while (this.inFlight !== null) await this.inFlight.done.catch(() => undefined);
    await this.writer?.close();
  }

  private send(): Promise<void> {
    const writes = this.unflushed;
    const upTo = this.accepted;
    this.unflushed = new UnflushedWrites();
    if (writes.empty) {
      this.written = upTo;
      return Promise.resolve();
    }
    const docs: WireDoc[] = [];
    for (const [collection, byId] of writes.byCollection()) {
      for (const [id, doc] of byId) docs.push([collection, id, doc === null ? null : JSON.stringify(doc)]);
    }
    // A writer whose thread died is replaced.
    if (this.writer?.failure) this.writer = null;
    const writer = (this.writer ??= new SqliteReadModelWriter(
      this.options.filePath,
      this.options.busyTimeoutMs,
    ));
    const written = [...writes.byCollection()].filter(([, byId]) => byId.size > 0).map(([name]) => name);
    const done = writer.write(docs, [...writes.checkpoints()]).then(
      () => {
        this.inFlight = null;
        this.written = upTo;
        this.failure = null;
        // Not only the tables this thread made: one made before it started (by a writer thread
        // that committed and died before it could reply, say) is new to the reader too.
        this.options.onCollectionsWritten(written);
      },
      (error: unknown) => {
        this.inFlight = null;
        this.unflushed.absorbOlder(writes);
        this.failure = error;
        throw error;
      },
    );
    this.inFlight = { writes, done };
    return done;
  }

  /**
   * A full window goes at once. A producer faster than the file (a rebuild folding the whole
   * history) waits for the window before it: it folds the next window while this one is written,
   * and memory holds two windows at most.
   */
  private async sendFullWindow(): Promise<void> {
    if (this.inFlight !== null) await this.inFlight.done.catch(() => undefined);
    if (this.held !== null) return; // sent when `exclusive` ends
    if (this.inFlight === null && this.unflushed.size >= FLUSH_AT_WRITES) {
      this.send().catch(() => this.retryLater());
    }
  }

  /** The delayed flush: a failure is kept and retried after the delay again. */
  private async flushLater(): Promise<void> {
    if (this.held !== null) return; // `exclusive` sends what waits when it ends
    try {
      await this.flush();
    } catch {
      this.retryLater();
    }
  }

  /** A flush after the delay, unless one is due already. */
  private schedule(): void {
    this.timer ??= setTimeout(() => void this.flushLater(), this.options.flushDelayMs).unref();
  }

  private retryLater(): void {
    this.timer ??= setTimeout(
      () => {
        this.timer = null;
        void this.flushLater();
      },
      Math.max(this.options.flushDelayMs, 1_000),
    ).unref();
  }
}
