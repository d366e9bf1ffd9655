import type Database from 'better-sqlite3';
import {
  checkpointList,
  type Doc,
  type Page,
  type ReadModelCheckpoint,
  type ReadModelQuery,
  type ReadModelStore,
  type ReadModelWrite,
} from '../../../application/ports/read-model-store.port';
import { cloneFrozen, freezeParsed } from '../clone-doc';
import { decodeCursor, encodeCursor } from '../cursor';
import { assertValidLimit } from '../query-limit';
import { DocCache } from './doc-cache';
import { KnownIds } from './known-ids';
import { SqliteQueryShape } from './sqlite-read-model-query';
import { WriteWindows } from './sqlite-write-windows';
import {
  assertField,
  createIndexSql,
  existingCollections,
  openReadModelDatabase,
  quoteIdentifier,
  tableName,
} from './sqlite-read-model-schema';

export interface SqliteReadModelStoreOptions {
  /** Documents kept parsed and frozen in memory (default 20,000; 0 turns the cache off). */
  cacheSize?: number;
  /** How long to wait for another connection's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
  /** How long accepted commits may wait to be written together (default 100 ms; 0: at once). */
  flushDelayMs?: number;
  /** A collection with at most this many documents has all its ids kept in memory (default 16,384; 0: none). */
  knownIdsLimit?: number;
}

/** Pages remembered per collection (their ids), until the collection changes. */
const PAGES_PER_COLLECTION = 4_096;
interface CollectionStatements {
  get: Database.Statement<[string], { doc: string }>;
  all: Database.Statement<[], { id: string; doc: string }>;
  count: Database.Statement<[], number>;
  ids: Database.Statement<[number], string>;
}

/**
 * The embedded read-model store: a SQLite file (WAL) that survives restarts, so the projector
 * only catches up on what is new. One table per collection, documents as JSON, an expression
 * index per query shape made on first use. Reads run synchronously on the calling thread: a read
 * is an index walk plus a cache lookup per document, and the documents read or committed last
 * are kept parsed and frozen (DocCache), so a read hands out the same object until it changes.
 *
 * A commit is accepted in memory (UnflushedWrites, read first by every get) and written with the
 * commits of the next few milliseconds in one transaction, checkpoints included: a document
 * changed by several commits is written once, and an item made and dropped in between not at
 * all. The transaction runs on a writer thread (SqliteReadModelWriter), one window at a time;
 * the window in flight is read from memory too until it has committed. A query, all() or count()
 * of a collection with writes waiting waits for them to be written first, so the file's indexes
 * answer it (read-your-writes); one of a collection with nothing waiting reads the file as it
 * is, so frequent scans do not cut the gathering short, and a collection the failing writes do
 * not touch still answers while the file refuses them. A crash loses at most the windows not yet
 * committed, whole commits only, with their checkpoints: they are folded again from the event
 * store at the next start.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly cache: DocCache;
  /**
   * The ids of the small collections: a read of one they do not hold runs no statement. Only
   * after this store's first commit, and never inside a snapshot: kept current by its own
   * commits, they hold for the one writer of the file (one process owns DATA_DIR), not for a
   * store that reads a file another process writes (the audit CLI's), nor for a snapshot's
   * past view of the file.
   */
  private readonly knownIds: KnownIds;
  private committed = false;
  private readonly collections = new Set<string>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly shapes = new Map<string, SqliteQueryShape>();
  /**
   * The ids of pages already asked for, by collection, dropped when a commit touches it: a
   * history page read again (the common case) skips the index walk.
   */
  private readonly pages = new Map<string, Map<string, string[]>>();
  private readonly checkpointGet: Database.Statement<[string], { position: number }>;
  private readonly checkpointDelete: Database.Statement<[string]>;
  /** Accepted commits not yet in the file (the writer thread writes them). */
  private readonly windows: WriteWindows;
  private closed = false;
  /** Inside snapshot(): one read transaction is open on the connection. */
  private inSnapshot = false;

  private constructor(
    private readonly db: Database.Database,
    filePath: string,
    options: SqliteReadModelStoreOptions,
  ) {
    this.cache = new DocCache(options.cacheSize ?? 20_000);
    this.knownIds = new KnownIds(options.knownIdsLimit ?? 16_384);
    this.windows = new WriteWindows({
      filePath,
      busyTimeoutMs: options.busyTimeoutMs ?? 5000,
      flushDelayMs: options.flushDelayMs ?? 100,
      onCollectionsWritten: (written) => written.forEach((collection) => this.collections.add(collection)),
    });
    for (const collection of existingCollections(db)) this.collections.add(collection);
    this.checkpointGet = db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.checkpointDelete = db.prepare('DELETE FROM checkpoints WHERE name = ?');
  }

  /** Opens (or creates) the store at `filePath`, creating its directory if missing. */
  static open(filePath: string, options: SqliteReadModelStoreOptions = {}): SqliteReadModelStore {
    const { knownIdsLimit } = options;
    if (knownIdsLimit !== undefined && (!Number.isSafeInteger(knownIdsLimit) || knownIdsLimit < 0)) {
      throw new Error(`knownIdsLimit must be a whole number ≥ 0, not ${knownIdsLimit}`);
    }
    const db = openReadModelDatabase(filePath, options.busyTimeoutMs ?? 5000);
    // The writer thread's checkpointer copies the WAL back; this connection writes only schema.
    db.pragma('wal_autocheckpoint = 0');
    return new SqliteReadModelStore(db, filePath, options);
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.read(collection, id) as T | null;
  }

  async query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>> {
    assertValidLimit(query.limit);
    // Decoded before anything else so a bad cursor fails even on an empty collection.
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const whereFields = Object.keys(query.where).sort();
    for (const field of whereFields) assertField(field);
    assertField(query.orderBy);
    await this.windows.flushFor(collection);
    if (!this.collections.has(collection)) return { items: [], nextCursor: null };
    const equals: string[] = [];
    for (const field of whereFields) {
      const value = query.where[field]!;
      // JSON has no NaN or Infinity: no stored document can hold one, so nothing matches.
      if (typeof value === 'number' && !Number.isFinite(value)) return { items: [], nextCursor: null };
      equals.push(JSON.stringify(value));
    }
    const shape = this.shape(collection, whereFields, query.orderBy, query.direction);
    // One extra id tells whether a next page exists.
    const ids = this.pageIds(collection, shape, equals, query, after);
    const hasMore = ids.length > query.limit;
    const items: T[] = [];
    let lastId: string | undefined;
    for (const id of hasMore ? ids.slice(0, query.limit) : ids) {
      const doc = this.read(collection, id);
      // A document deleted by a commit still waiting when the index was walked (under a steady
      // stream of commits a query stops writing windows after a few).
      if (doc === null) continue;
      items.push(doc as T);
      lastId = id;
    }
    const last = items[items.length - 1];
    return {
      items,
      nextCursor:
        hasMore && last !== undefined && lastId !== undefined
          ? encodeCursor(last[query.orderBy], lastId)
          : null,
    };
  }

  private pageIds(
    collection: string,
    shape: SqliteQueryShape,
    equals: string[],
    query: ReadModelQuery,
    after: ReturnType<typeof decodeCursor> | undefined,
  ): string[] {
    let pages = this.pages.get(collection);
    if (pages === undefined) {
      pages = new Map();
      this.pages.set(collection, pages);
    }
    const key = `${shape.key}\u0001${equals.join('\u0000')}\u0001${query.cursor ?? ''}\u0001${query.limit}`;
    let ids = pages.get(key);
    if (ids === undefined) {
      ids = shape.ids(equals, after, query.limit + 1);
      // Kept only when the file holds every commit to the collection: a commit waiting would
      // have dropped the page, and no later commit may find it again.
      if (!this.windows.waitingFor(collection)) {
        if (pages.size >= PAGES_PER_COLLECTION) pages.clear();
        pages.set(key, ids);
      }
    }
    return ids;
  }

  async all<T extends Doc>(collection: string): Promise<T[]> {
    await this.windows.flushFor(collection);
    if (!this.collections.has(collection)) return [];
    return this.statementsFor(collection)
      .all.all()
      .map(({ id, doc }) => (this.cache.get(collection, id) ?? freezeParsed(JSON.parse(doc) as Doc)) as T);
  }

  async commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    this.assertWritable();
    const moved = checkpointList(checkpoints);
    for (const { name, position } of moved) {
      if (!Number.isSafeInteger(position) || position < 0) {
        throw new Error(`checkpoint ${name}: position must be a whole number ≥ 0, not ${position}`);
      }
    }
    await this.windows.beforeAccept();
    // Everything is copied and checked first: a document that is not JSON fails the commit
    // before anything is accepted.
    const frozen = writes.map((write) => (write.doc === null ? null : cloneFrozen(write.doc)));
    for (const write of writes) tableName(write.collection);
    const accepted = writes.map((write, i) => {
      const doc = frozen[i]!;
      this.pages.delete(write.collection);
      this.knownIds.note(write.collection, write.id, doc !== null);
      if (doc === null) this.cache.delete(write.collection, write.id);
      else this.cache.set(write.collection, write.id, doc);
      return { collection: write.collection, id: write.id, doc };
    });
    this.committed = true;
    await this.windows.accept(accepted, moved);
  }

  async checkpoint(name: string): Promise<number> {
    return this.windows.checkpoint(name) ?? this.checkpointGet.get(name)?.position ?? 0;
  }

  async count(collection: string): Promise<number> {
    await this.windows.flushFor(collection);
    if (!this.collections.has(collection)) return 0;
    return this.statementsFor(collection).count.get()!;
  }

  async drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    this.assertWritable();
    await this.windows.exclusive(true, () => {
      this.db.transaction(() => {
        for (const collection of collections) {
          this.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tableName(collection))}`);
        }
        for (const name of checkpoints) this.checkpointDelete.run(name);
      })();
      for (const collection of collections) this.forget(collection);
      for (const name of checkpoints) this.windows.forgetCheckpoint(name);
    });
  }

  /**
   * Runs `read` inside one read transaction: with WAL, every read in it sees the file as it was
   * when it began, whatever another process (the service) commits, switches or drops meanwhile.
   * For a reader of a file another process writes (the CLI audit): what this connection knew of
   * the file (tables, cached documents, pages) is read again at the start.
   */
  async snapshot<T>(read: () => Promise<T>): Promise<T> {
    this.assertOpen();
    if (this.inSnapshot) return read();
    await this.windows.flush(); // this connection's own commits first: the snapshot holds them
    this.db.exec('BEGIN');
    this.inSnapshot = true;
    try {
      // The first read starts the snapshot; the tables are known as of it.
      const present = new Set(existingCollections(this.db));
      for (const collection of [...this.collections]) if (!present.has(collection)) this.forget(collection);
      for (const collection of present) this.collections.add(collection);
      this.cache.clear();
      this.pages.clear();
      return await read();
    } finally {
      this.inSnapshot = false;
      this.db.exec('COMMIT');
      // What was read inside is the file as it was at the start: a window of this store that
      // landed meanwhile may have changed it since.
      if (this.committed) {
        this.cache.clear();
        this.pages.clear();
      }
    }
  }

  async clear(): Promise<void> {
    this.assertWritable();
    // What the writer thread is writing lands first, then goes with the rest.
    await this.windows.exclusive(false, () => {
      this.windows.discard();
      this.db.transaction(() => {
        for (const collection of existingCollections(this.db)) {
          this.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tableName(collection))}`);
        }
        this.db.exec('DELETE FROM checkpoints');
      })();
      this.collections.clear();
      this.statements.clear();
      this.shapes.clear();
      this.pages.clear();
      this.cache.clear();
      this.knownIds.clear();
    });
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    if (this.closed) return { kind: 'sqlite', ok: false, detail: 'closed' };
    if (this.windows.failure !== null) {
      return { kind: 'sqlite', ok: false, detail: `writes not flushed: ${messageOf(this.windows.failure)}` };
    }
    try {
      this.db.prepare('SELECT 1').get();
      return { kind: 'sqlite', ok: true };
    } catch (error) {
      return { kind: 'sqlite', ok: false, detail: messageOf(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      await this.windows.flush();
    } finally {
      this.closed = true;
      await this.windows.close();
      this.cache.clear();
      this.db.close();
    }
  }

  /**
   * Writes every commit accepted so far. Throws when that fails, and keeps the writes waiting
   * (still served from memory) for the next try: the file holds whole commits or none.
   */
  flush(): Promise<void> {
    return this.windows.flush();
  }

  private forget(collection: string): void {
    this.windows.forget(collection);
    this.pages.delete(collection);
    this.cache.deleteCollection(collection);
    this.knownIds.forget(collection);
    this.collections.delete(collection);
    this.statements.delete(collection);
    for (const key of [...this.shapes.keys()]) {
      if (key.startsWith(`${collection}\u0000`)) this.shapes.delete(key);
    }
  }

  /** The document, from the cache or the file (then cached). */
  private read(collection: string, id: string): Doc | null {
    // null is a deletion: only undefined (not touched) looks further.
    const waiting = this.windows.get(collection, id);
    if (waiting !== undefined) return waiting;
    const cached = this.cache.get(collection, id);
    if (cached !== undefined) return cached;
    const row =
      this.collections.has(collection) && this.mayHold(collection, id)
        ? this.statementsFor(collection).get.get(id)
        : undefined;
    if (row === undefined) {
      // Not from a snapshot's past view: a window may have written it since.
      if (!this.inSnapshot) this.windows.markAbsent(collection, id);
      return null;
    }
    const doc = freezeParsed(JSON.parse(row.doc) as Doc);
    this.cache.set(collection, id, doc);
    return doc;
  }

  /** false when the collection certainly does not hold the id (see `knownIds`), after a miss in the cache. */
  private mayHold(collection: string, id: string): boolean {
    if (!this.committed || this.inSnapshot) return true;
    if (!this.knownIds.loaded(collection)) {
      // The file's ids and those of the writes waiting for it (in flight too).
      const fileIds =
        this.knownIds.limit > 0 ? this.statementsFor(collection).ids.all(this.knownIds.limit + 1) : [];
      this.knownIds.load(collection, fileIds, this.windows.idsPut(collection));
    }
    return this.knownIds.holds(collection, id) !== false;
  }

  /** The statements of a collection the file holds. */
  private statementsFor(collection: string): CollectionStatements {
    let statements = this.statements.get(collection);
    if (statements !== undefined) return statements;
    const table = quoteIdentifier(tableName(collection));
    statements = {
      get: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`),
      all: this.db.prepare(`SELECT id, doc FROM ${table} ORDER BY id`),
      count: this.db.prepare<[], number>(`SELECT count(*) FROM ${table}`).pluck(),
      ids: this.db.prepare<[number], string>(`SELECT id FROM ${table} LIMIT ?`).pluck(),
    };
    this.statements.set(collection, statements);
    return statements;
  }

  /** The statements of a query shape, its index made on first use (and kept in the file). */
  private shape(
    collection: string,
    whereFields: readonly string[],
    orderBy: string,
    direction: 'asc' | 'desc',
  ): SqliteQueryShape {
    const key = `${collection}\u0000${whereFields.join(',')}\u0000${orderBy}\u0000${direction}`;
    let shape = this.shapes.get(key);
    if (shape === undefined) {
      this.db.exec(createIndexSql(collection, whereFields, orderBy));
      shape = new SqliteQueryShape(this.db, key, collection, whereFields, orderBy, direction);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read-model store is closed');
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.inSnapshot) throw new Error('read-model store: no write inside a snapshot');
  }
}

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));
