/**
 * Every id of the small collections, kept in memory, so that a read of an id such a collection
 * does not hold runs no statement. Most reads that miss are of that kind: each payment event asks
 * every pending-work collection whether it holds an item for the payment, and most hold none (on
 * a history of a million events, six file lookups per confirm, nearly all of them for nothing).
 *
 * A collection's ids are loaded on the first read that misses the cache, from the file plus the
 * writes still waiting for it, and kept current by every accepted commit after that. They are a
 * superset of what the collection holds: an id missing from them is certainly absent, an id
 * present is looked up. A collection that holds more than `limit` ids is not kept (its reads ask
 * the file, as before), so memory stays bounded whatever the history's size.
 */
export class KnownIds {
  /** Per collection: its ids, or null when it held too many to keep. */
  private readonly byCollection = new Map<string, Set<string> | null>();

  constructor(readonly limit: number) {}

  /** false: certainly absent; true: held (look it up); undefined: not known here (not loaded, or too large). */
  holds(collection: string, id: string): boolean | undefined {
    const ids = this.byCollection.get(collection);
    return ids == null ? undefined : ids.has(id);
  }

  /** Whether `load` was called for the collection (and nothing forgot it since). */
  loaded(collection: string): boolean {
    return this.byCollection.has(collection);
  }

  /**
   * Keeps the collection's ids, given as the file's first `limit + 1` ids and the ids of the
   * documents put by the writes still waiting; more than `limit` keeps nothing for it.
   */
  load(collection: string, fileIds: readonly string[], waitingIds: Iterable<string>): void {
    if (this.limit <= 0 || fileIds.length > this.limit) {
      this.byCollection.set(collection, null);
      return;
    }
    const ids = new Set(fileIds);
    for (const id of waitingIds) ids.add(id);
    this.byCollection.set(collection, ids.size > this.limit ? null : ids);
  }

  /** An accepted commit put (`present`) or deleted the document. */
  note(collection: string, id: string, present: boolean): void {
    const ids = this.byCollection.get(collection);
    if (ids == null) return;
    if (!present) ids.delete(id);
    else if (ids.add(id).size > this.limit) this.byCollection.set(collection, null);
  }

  /** Forgets a dropped collection: loaded again from the file at its next read. */
  forget(collection: string): void {
    this.byCollection.delete(collection);
  }

  clear(): void {
    this.byCollection.clear();
  }
}
