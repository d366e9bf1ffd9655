import type { Doc } from '../../../application/ports/read-model-store.port';

/**
 * The most recently read or committed documents, frozen, by collection and id (least recently
 * used first out). Handing out the same object until the document changes keeps the per-object
 * view caches of the queries effective and spares a JSON parse per read. Only the store's own
 * commits change documents (one process owns DATA_DIR), so keeping it current on commit is enough.
 */
export class DocCache {
  private readonly entries = new Map<string, Doc>();

  constructor(private readonly capacity: number) {}

  get(collection: string, id: string): Doc | undefined {
    const key = keyOf(collection, id);
    const doc = this.entries.get(key);
    if (doc !== undefined) {
      // Re-inserted: a Map iterates in insertion order, so the oldest key is the least recent.
      this.entries.delete(key);
      this.entries.set(key, doc);
    }
    return doc;
  }

  set(collection: string, id: string, doc: Doc): void {
    if (this.capacity <= 0) return;
    const key = keyOf(collection, id);
    this.entries.delete(key);
    this.entries.set(key, doc);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
  }

  delete(collection: string, id: string): void {
    this.entries.delete(keyOf(collection, id));
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}

const keyOf = (collection: string, id: string): string => `${collection}\u0000${id}`;
