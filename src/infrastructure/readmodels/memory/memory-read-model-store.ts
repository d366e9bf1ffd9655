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
import { cloneFrozen } from '../clone-doc';
import { MemoryCollection } from './memory-collection';

/**
 * The read-model store for tests: everything in process memory, rebuilt from the event store at
 * every start. A document is copied and frozen once when committed; readers get that frozen copy,
 * so reads copy nothing and no caller can change what is stored.
 */
export class MemoryReadModelStore implements ReadModelStore {
  private readonly collections = new Map<string, MemoryCollection>();
  private readonly checkpoints = new Map<string, number>();

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const doc = this.collections.get(collection)?.docs.get(id);
    return doc === undefined ? null : (doc as T);
  }

  async query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>> {
    assertValidLimit(query.limit);
    // Decoded before the collection lookup so a bad cursor fails even on an empty collection.
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const store = this.collections.get(collection);
    if (store === undefined) return { items: [], nextCursor: null };
    const { entries, hasMore } = store.select(query, after);
    const last = entries[entries.length - 1];
    return {
      items: entries.map((entry) => entry.doc as T),
      nextCursor: hasMore && last !== undefined ? encodeCursor(last.doc[query.orderBy], last.id) : null,
    };
  }

  async all<T extends Doc>(collection: string): Promise<T[]> {
    const store = this.collections.get(collection);
    if (store === undefined) return [];
    const ids = [...store.docs.keys()].sort();
    return ids.map((id) => store.docs.get(id) as T);
  }

  async commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    // Copy everything first: if a document cannot be copied, nothing has been applied yet.
    const copies = writes.map((w) => ({ ...w, doc: w.doc === null ? null : cloneFrozen(w.doc) }));
    for (const write of copies) this.collection(write.collection).put(write.id, write.doc);
    for (const { name, position } of checkpointList(checkpoints)) this.checkpoints.set(name, position);
  }

  async checkpoint(name: string): Promise<number> {
    return this.checkpoints.get(name) ?? 0;
  }

  async count(collection: string): Promise<number> {
    return this.collections.get(collection)?.docs.size ?? 0;
  }

  async drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    for (const collection of collections) this.collections.delete(collection);
    for (const name of checkpoints) this.checkpoints.delete(name);
  }

  async clear(): Promise<void> {
    this.collections.clear();
    this.checkpoints.clear();
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    return { kind: 'memory', ok: true };
  }

  async close(): Promise<void> {
    // Nothing to release: the data lives and dies with the process.
  }

  private collection(name: string): MemoryCollection {
    let collection = this.collections.get(name);
    if (collection === undefined) {
      collection = new MemoryCollection();
      this.collections.set(name, collection);
    }
    return collection;
  }
}
