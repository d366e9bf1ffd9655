import type { Doc } from '../../../application/ports/read-model-store.port';

type Generation = Map<string, Map<string, Doc>>;

/**
 * The most recently read or committed documents, frozen, by collection and id. Handing out the
 * same object until the document changes keeps the per-object view caches of the queries
 * effective and spares a JSON parse per read. Only the store's own commits change documents (one
 * process owns DATA_DIR), so keeping it current on commit is enough.
 *
 * Two generations instead of an exact LRU: a hit in the young one is a single lookup (an LRU
 * re-inserts on every hit, which cost a quarter of a history read); a hit in the old one moves
 * the document to the young one; when the young one is full it becomes the old one and the old
 * one is dropped. At most `capacity` entries, nothing evicted that was used in the last half.
 */
export class DocCache {
  private young: Generation = new Map();
  private old: Generation = new Map();
  private youngSize = 0;
  private readonly half: number;

  constructor(private readonly capacity: number) {
    this.half = Math.max(1, Math.ceil(capacity / 2));
  }

  get(collection: string, id: string): Doc | undefined {
    const young = this.young.get(collection)?.get(id);
    if (young !== undefined) return young;
    const old = this.old.get(collection)?.get(id);
    if (old !== undefined) this.set(collection, id, old);
    return old;
  }

  set(collection: string, id: string, doc: Doc): void {
    if (this.capacity <= 0) return;
    let docs = this.young.get(collection);
    if (docs === undefined) {
      docs = new Map();
      this.young.set(collection, docs);
    }
    const before = docs.size;
    docs.set(id, doc);
    // A stale copy in the old generation is shadowed by this one and goes at the next turn.
    if (docs.size > before && ++this.youngSize >= this.half) {
      this.old = this.young;
      this.young = new Map();
      this.youngSize = 0;
    }
  }

  delete(collection: string, id: string): void {
    if (this.young.get(collection)?.delete(id) === true) this.youngSize--;
    this.old.get(collection)?.delete(id);
  }

  /** Forgets a whole collection (dropped). */
  deleteCollection(collection: string): void {
    this.youngSize -= this.young.get(collection)?.size ?? 0;
    this.young.delete(collection);
    this.old.delete(collection);
  }

  clear(): void {
    this.young = new Map();
    this.old = new Map();
    this.youngSize = 0;
  }
}
