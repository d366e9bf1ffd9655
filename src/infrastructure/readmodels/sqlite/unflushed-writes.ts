import type { Doc, ReadModelCheckpoint } from '../../../application/ports/read-model-store.port';

/** Ids remembered as missing from the file, at most, between two flushes. */
export const MAX_ABSENT = 65_536;

/**
 * Commits accepted but not yet written to the file: the last document (or deletion) per
 * collection and id, and the last position per checkpoint. Several commits fold into one
 * transaction, so a document rewritten by each step of a confirm is written once, and a
 * pending-work item made and dropped within the window is never written at all. Reads look here
 * first, so they always see every accepted commit.
 */
export class UnflushedWrites {
  private docs = new Map<string, Map<string, Doc | null>>();
  /** Ids the file was seen not to hold since the last flush. */
  private absent = new Map<string, Set<string>>();
  /** Ids put in this window that the file did not hold: dropping one again writes nothing. */
  private fresh = new Map<string, Set<string>>();
  private positions = new Map<string, number>();
  private count = 0;
  private absentCount = 0;

  get size(): number {
    return this.count;
  }

  get empty(): boolean {
    return this.count === 0 && this.positions.size === 0;
  }

  /** Whether the collection has writes the file does not hold yet. */
  touches(collection: string): boolean {
    return (this.docs.get(collection)?.size ?? 0) > 0;
  }

  /** The document as last committed: undefined when this window has not touched it, null when deleted. */
  get(collection: string, id: string): Doc | null | undefined {
    return this.docs.get(collection)?.get(id);
  }

  checkpoint(name: string): number | undefined {
    return this.positions.get(name);
  }

  /** The file holds no document `id` (a read found none); true until the next flush. */
  markAbsent(collection: string, id: string): void {
    // Only a flush clears it, and a store that reads missing ids (a 404 per unknown order) but
    // writes nothing never flushes: past the bound it is forgotten (a drop then costs a statement).
    if (this.absentCount >= MAX_ABSENT) {
      this.absent = new Map();
      this.absentCount = 0;
    }
    if (add(this.absent, collection, id)) this.absentCount++;
  }

  put(collection: string, id: string, doc: Doc | null): void {
    const waiting = this.docs.get(collection)?.has(id) === true;
    const isFresh = waiting
      ? this.fresh.get(collection)?.has(id) === true
      : this.absent.get(collection)?.has(id) === true;
    if (doc === null && isFresh) {
      // Made and dropped in this window, or never there: the file needs no statement at all.
      if (waiting) {
        this.docs.get(collection)!.delete(id);
        this.fresh.get(collection)!.delete(id);
        this.count--;
      }
      return;
    }
    if (isFresh && !waiting) add(this.fresh, collection, id);
    let docs = this.docs.get(collection);
    if (docs === undefined) {
      docs = new Map();
      this.docs.set(collection, docs);
    }
    const before = docs.size;
    docs.set(id, doc);
    if (docs.size > before) this.count++;
  }

  move(checkpoint: ReadModelCheckpoint): void {
    this.positions.set(checkpoint.name, checkpoint.position);
  }

  /**
   * Takes back a window whose write failed, under this one: a document or checkpoint this window
   * changed since keeps its newer value.
   */
  absorbOlder(older: UnflushedWrites): void {
    for (const [collection, docs] of older.docs) {
      for (const [id, doc] of docs) {
        if (this.docs.get(collection)?.has(id) === true) continue;
        let mine = this.docs.get(collection);
        if (mine === undefined) {
          mine = new Map();
          this.docs.set(collection, mine);
        }
        mine.set(id, doc);
        this.count++;
      }
    }
    for (const [name, position] of older.positions) {
      if (!this.positions.has(name)) this.positions.set(name, position);
    }
  }

  /** Forgets a dropped collection's writes. */
  forget(collection: string): void {
    this.count -= this.docs.get(collection)?.size ?? 0;
    this.absentCount -= this.absent.get(collection)?.size ?? 0;
    this.docs.delete(collection);
    this.absent.delete(collection);
    this.fresh.delete(collection);
  }

  /** Forgets a deleted checkpoint's waiting position. */
  forgetCheckpoint(name: string): void {
    this.positions.delete(name);
  }

  /** Every write, by collection and id. */
  byCollection(): ReadonlyMap<string, ReadonlyMap<string, Doc | null>> {
    return this.docs;
  }

  checkpoints(): IterableIterator<[string, number]> {
    return this.positions.entries();
  }

  /** Written to the file: the window starts empty. */
  clear(): void {
    this.docs = new Map();
    this.absent = new Map();
    this.fresh = new Map();
    this.positions = new Map();
    this.count = 0;
    this.absentCount = 0;
  }
}

/** Adds the id; whether it was new. */
function add(sets: Map<string, Set<string>>, collection: string, id: string): boolean {
  let ids = sets.get(collection);
  if (ids === undefined) {
    ids = new Set();
    sets.set(collection, ids);
  }
  const before = ids.size;
  ids.add(id);
  return ids.size > before;
}
