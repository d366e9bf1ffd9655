import { MongoClient, MongoServerError, type Collection, type Db } from 'mongodb';
import {
  checkpointList,
  type Doc,
  type Page,
  type ReadModelCheckpoint,
  type ReadModelQuery,
  type ReadModelStore,
  type ReadModelWrite,
} from '../../../application/ports/read-model-store.port';
import { decodeCursor, encodeCursor } from '../cursor';
import { assertValidLimit } from '../query-limit';
import { MongoDbIndexRegistry, type ReadModelIndexSpec } from './mongodb-index-registry';
import { toFilter, toSort } from './mongodb-read-model-query';
import { toBulkOperations, type StoredDoc } from './mongodb-read-model-writes';

interface CheckpointDoc {
  _id: string;
  position: number;
}

const PREFIX = 'rm_';
const CHECKPOINTS = 'checkpoints';
const NAMESPACE_NOT_FOUND = 26;
const STATUS_TIMEOUT_MS = 2000;

/**
 * The production read-model store: one MongoDB collection per read-model collection (`rm_`
 * prefix), documents stored as `{_id: id, ...doc}` and returned without `_id` (a document's own
 * `_id` field is therefore not kept). Needs a replica set or sharded cluster: commit() runs in a
 * multi-document transaction, which a standalone mongod refuses; a single-node replica set is
 * enough. Collections are created implicitly inside that transaction, which needs MongoDB 4.4+.
 */
export class MongoDbReadModelStore implements ReadModelStore {
  private readonly db: Db;
  private readonly indexes = new MongoDbIndexRegistry();

  constructor(
    private readonly client: MongoClient,
    dbName: string,
    /** Set by connect(): close() then closes the client too. */
    private readonly ownsClient = false,
  ) {
    this.db = client.db(dbName);
  }

  static async connect(url: string, dbName: string): Promise<MongoDbReadModelStore> {
    const client = new MongoClient(url);
    await client.connect();
    return new MongoDbReadModelStore(client, dbName, true);
  }

  /** Creates the indexes of known query shapes up front (queries create missing ones lazily). */
  async ensureIndexes(specs: ReadModelIndexSpec[]): Promise<void> {
    for (const spec of specs) {
      await this.indexes.ensure(this.collection(spec.collection), spec.where, spec.orderBy);
    }
  }

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const raw = await this.collection(collection).findOne({ _id: id });
    return raw === null ? null : (withoutId(raw) as T);
  }

  async query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>> {
    assertValidLimit(query.limit);
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const filter = toFilter(query, after);
    const target = this.collection(collection);
    await this.indexes.ensureQuietly(target, Object.keys(query.where), query.orderBy);
    // One extra document tells whether a next page exists.
    const raws = await target
      .find(filter)
      .sort(toSort(query))
      .limit(query.limit + 1)
      .toArray();
    const hasMore = raws.length > query.limit;
    const page = hasMore ? raws.slice(0, query.limit) : raws;
    const last = page[page.length - 1];
    return {
      items: page.map((raw) => withoutId(raw) as T),
      nextCursor: hasMore && last !== undefined ? encodeCursor(last[query.orderBy], last._id) : null,
    };
  }

  async all<T extends Doc>(collection: string): Promise<T[]> {
    const raws = await this.collection(collection).find({}).sort({ _id: 1 }).toArray();
    return raws.map((raw) => withoutId(raw) as T);
  }

  async commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    // Collections resolved (and their names checked) before any transaction starts.
    const batches = [...toBulkOperations(writes)].map(([name, ops]) => [this.collection(name), ops] as const);
    const moved = checkpointList(checkpoints);
    const session = this.client.startSession();
    try {
      // The callback may run again on a transient error, so it only reads its inputs. Every
      // operation gets the session and they run one after another: the driver leaves parallel
      // operations inside a transaction undefined.
      await session.withTransaction(
        async () => {
          for (const [target, operations] of batches) {
            await target.bulkWrite(operations, { ordered: true, session });
          }
          // One round trip for every checkpoint (one per projection group); the driver refuses an
          // empty bulk write, and a commit of a projection's build record moves none.
          if (moved.length === 0) return;
          await this.checkpoints().bulkWrite(
            moved.map(({ name, position }) => ({
              updateOne: { filter: { _id: name }, update: { $set: { position } }, upsert: true },
            })),
            { ordered: true, session },
          );
        },
        { writeConcern: { w: 'majority' } },
      );
    } finally {
      await session.endSession();
    }
  }

  async checkpoint(name: string): Promise<number> {
    const doc = await this.checkpoints().findOne({ _id: name });
    return typeof doc?.position === 'number' ? doc.position : 0;
  }

  /** countDocuments, not the estimate: a build is switched only when its counts agree exactly. */
  async count(collection: string): Promise<number> {
    return this.collection(collection).countDocuments({});
  }

  async drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    const targets = collections.map((name) => this.collection(name).collectionName);
    for (const name of targets) await this.dropIfPresent(name);
    if (checkpoints.length > 0) await this.checkpoints().deleteMany({ _id: { $in: [...checkpoints] } });
    this.indexes.forget();
  }

  async clear(): Promise<void> {
    const collections = await this.db.listCollections({}, { nameOnly: true }).toArray();
    for (const { name } of collections) {
      if (name.startsWith(PREFIX) || name === CHECKPOINTS) await this.dropIfPresent(name);
    }
    this.indexes.forget();
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    try {
      await withTimeout(this.db.command({ ping: 1 }), STATUS_TIMEOUT_MS);
      const indexError = this.indexes.lastError;
      return indexError === undefined
        ? { kind: 'mongodb', ok: true }
        : { kind: 'mongodb', ok: true, detail: `index creation failed: ${indexError}` };
    } catch (error) {
      return { kind: 'mongodb', ok: false, detail: error instanceof Error ? error.message : String(error) };
    }
  }

  async close(): Promise<void> {
    if (this.ownsClient) await this.client.close();
  }

  private collection(name: string): Collection<StoredDoc> {
    if (name.length === 0 || name.includes('$') || name.includes('\0')) {
      throw new Error(`read-model collection name not supported by MongoDB: ${JSON.stringify(name)}`);
    }
    return this.db.collection<StoredDoc>(PREFIX + name);
  }

  private checkpoints(): Collection<CheckpointDoc> {
    return this.db.collection<CheckpointDoc>(CHECKPOINTS);
  }

  private async dropIfPresent(name: string): Promise<void> {
    try {
      await this.db.dropCollection(name);
    } catch (error) {
      // Servers before 7.0 answer NamespaceNotFound when another process dropped it first.
      if (!(error instanceof MongoServerError && error.code === NAMESPACE_NOT_FOUND)) throw error;
    }
  }
}

function withoutId(raw: StoredDoc): Doc {
  const { _id: _ignored, ...doc } = raw;
  return doc;
}

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
