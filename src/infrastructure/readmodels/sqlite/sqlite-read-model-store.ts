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
import { SqliteQueryShape } from './sqlite-read-model-query';
import {
  assertField,
  createIndexSql,
  createTableSql,
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
}

interface CollectionStatements {
  get: Database.Statement<[string], { doc: string }>;
  put: Database.Statement<[string, string]>;
  delete: Database.Statement<[string]>;
  all: Database.Statement<[], { id: string; doc: string }>;
}

/** A write ready for the transaction: its statements resolved and its JSON made. */
interface PreparedWrite {
  statements: CollectionStatements;
  write: ReadModelWrite;
  frozen: Doc | null;
  json: string | null;
}

/**
 * The embedded read-model store: a SQLite file (WAL) that survives restarts, so the projector
 * only catches up on what is new. One table per collection, documents as JSON, an expression
 * index per query shape made on first use. A commit is one transaction with its checkpoints.
 * Reads and commits run synchronously on the calling thread: a read is an index walk plus a
 * cache lookup per document, and the documents read or committed last are kept parsed and
 * frozen (DocCache), so a read hands out the same object until the document changes.
 */
export class SqliteReadModelStore implements ReadModelStore {
  private readonly cache: DocCache;
  private readonly collections = new Set<string>();
  private readonly statements = new Map<string, CollectionStatements>();
  private readonly shapes = new Map<string, SqliteQueryShape>();
  private readonly checkpointGet: Database.Statement<[string], { position: number }>;
  private readonly checkpointPut: Database.Statement<[string, number]>;
  private readonly commitTx: (writes: PreparedWrite[], checkpoints: readonly ReadModelCheckpoint[]) => void;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    options: SqliteReadModelStoreOptions,
  ) {
    this.cache = new DocCache(options.cacheSize ?? 20_000);
    for (const collection of existingCollections(db)) this.collections.add(collection);
    this.checkpointGet = db.prepare('SELECT position FROM checkpoints WHERE name = ?');
    this.checkpointPut = db.prepare(
      'INSERT INTO checkpoints (name, position) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET position = excluded.position',
    );
    this.commitTx = db.transaction((writes: PreparedWrite[], checkpoints: readonly ReadModelCheckpoint[]) => {
      for (const { statements, write, json } of writes) {
        if (json === null) statements.delete.run(write.id);
        else statements.put.run(write.id, json);
      }
      for (const { name, position } of checkpoints) this.checkpointPut.run(name, position);
    });
  }

  /** Opens (or creates) the store at `filePath`, creating its directory if missing. */
  static open(filePath: string, options: SqliteReadModelStoreOptions = {}): SqliteReadModelStore {
    return new SqliteReadModelStore(openReadModelDatabase(filePath, options.busyTimeoutMs ?? 5000), options);
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
    const ids = shape.ids(equals, after, query.limit + 1);
    const hasMore = ids.length > query.limit;
    const items: T[] = [];
    let lastId: string | undefined;
    for (const id of hasMore ? ids.slice(0, query.limit) : ids) {
      const doc = this.read(collection, id);
      if (doc === null) continue; // cannot happen on one connection; a page never holds a hole
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

  async all<T extends Doc>(collection: string): Promise<T[]> {
    if (!this.collections.has(collection)) return [];
    return this.statementsFor(collection)
      .all.all()
      .map(({ id, doc }) => (this.cache.get(collection, id) ?? freezeParsed(JSON.parse(doc) as Doc)) as T);
  }

  async commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    this.assertOpen();
    // Everything is copied and serialised first: a document that is not JSON fails the commit
    // before anything is written. New tables are made outside the transaction (harmless if it fails).
    const prepared: PreparedWrite[] = writes.map((write) => {
      const frozen = write.doc === null ? null : cloneFrozen(write.doc);
      return {
        statements: this.statementsFor(write.collection, true),
        write,
        frozen,
        json: frozen === null ? null : JSON.stringify(frozen),
      };
    });
    this.commitTx(prepared, checkpointList(checkpoints));
    // Committed: the cache now holds exactly what the file holds, in the writes' order.
    for (const { write, frozen } of prepared) {
      if (frozen === null) this.cache.delete(write.collection, write.id);
      else this.cache.set(write.collection, write.id, frozen);
    }
  }

  async checkpoint(name: string): Promise<number> {
    return this.checkpointGet.get(name)?.position ?? 0;
  }

  async clear(): Promise<void> {
    this.assertOpen();
    this.db.transaction(() => {
      for (const collection of existingCollections(this.db)) {
        this.db.exec(`DROP TABLE IF EXISTS ${quoteIdentifier(tableName(collection))}`);
      }
      this.db.exec('DELETE FROM checkpoints');
    })();
    this.collections.clear();
    this.statements.clear();
    this.shapes.clear();
    this.cache.clear();
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    if (this.closed) return { kind: 'sqlite', ok: false, detail: 'closed' };
    try {
      this.db.prepare('SELECT 1').get();
      return { kind: 'sqlite', ok: true };
    } catch (error) {
      return { kind: 'sqlite', ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cache.clear();
    this.db.close();
  }

  /** The document, from the cache or the file (then cached). */
  private read(collection: string, id: string): Doc | null {
    const cached = this.cache.get(collection, id);
    if (cached !== undefined) return cached;
    if (!this.collections.has(collection)) return null;
    const row = this.statementsFor(collection).get.get(id);
    if (row === undefined) return null;
    const doc = freezeParsed(JSON.parse(row.doc) as Doc);
    this.cache.set(collection, id, doc);
    return doc;
  }

  private statementsFor(collection: string, create = false): CollectionStatements {
    let statements = this.statements.get(collection);
    if (statements !== undefined) return statements;
    if (create && !this.collections.has(collection)) {
      this.db.exec(createTableSql(collection));
      this.collections.add(collection);
    }
    const table = quoteIdentifier(tableName(collection));
    statements = {
      get: this.db.prepare(`SELECT doc FROM ${table} WHERE id = ?`),
      put: this.db.prepare(
        `INSERT INTO ${table} (id, doc) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET doc = excluded.doc`,
      ),
      delete: this.db.prepare(`DELETE FROM ${table} WHERE id = ?`),
      all: this.db.prepare(`SELECT id, doc FROM ${table} ORDER BY id`),
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
      shape = new SqliteQueryShape(this.db, collection, whereFields, orderBy, direction);
      this.shapes.set(key, shape);
    }
    return shape;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('read-model store is closed');
  }
}
