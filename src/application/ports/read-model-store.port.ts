/**
 * Where projections keep their documents: SQLite embedded, MongoDB in production, memory for
 * tests. Every adapter passes tests/contract/read-model-store.contract.ts.
 */
export type Doc = Record<string, unknown>;

export interface ReadModelQuery {
  /** Exact-match filters on top-level fields. */
  where: Record<string, string | number | boolean>;
  /** Field to order by (a string or number field), ties broken by id in the same direction. */
  orderBy: string;
  direction: 'asc' | 'desc';
  limit: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ReadModelWrite {
  collection: string;
  id: string;
  /** The whole document; `null` deletes it. */
  doc: Doc | null;
}

/** How far a projection (or a group of projections) has folded the event store. */
export interface ReadModelCheckpoint {
  name: string;
  position: number;
}

/** commit() takes one checkpoint or several; this is the list either way. */
export function checkpointList(
  checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
): readonly ReadModelCheckpoint[] {
  return 'name' in checkpoints ? [checkpoints] : checkpoints;
}

export class InvalidCursorError extends Error {
  constructor() {
    super('invalid cursor');
    this.name = 'InvalidCursorError';
  }
}

export interface ReadModelStore {
  get<T extends Doc>(collection: string, id: string): Promise<T | null>;
  /** Throws InvalidCursorError for a cursor it did not make. */
  query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>>;
  /** All documents of a collection (for the auditor's comparison and small scans). */
  all<T extends Doc>(collection: string): Promise<T[]>;
  /**
   * Applies the writes in order and moves the named checkpoint(s), atomically: after a crash
   * either all of it is there or none of it.
   */
  commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void>;
  /** Last committed position of the named checkpoint, 0 when none. */
  checkpoint(name: string): Promise<number>;
  /** How many documents the collection holds (0 when it was never written). */
  count(collection: string): Promise<number>;
  /**
   * Removes whole collections (documents and indexes) and checkpoints: a projection's retired
   * build. Other collections and checkpoints are untouched.
   */
  drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void>;
  /** Removes every document and checkpoint (before a rebuild). */
  clear(): Promise<void>;
  status(): Promise<{ kind: string; ok: boolean; detail?: string }>;
  close(): Promise<void>;
  /**
   * Optional: runs `read` with every read of this store inside seeing one moment of it, whatever
   * another process commits meanwhile (SQLite: one read transaction, WAL keeps its snapshot). A
   * store that commits itself refuses commits meanwhile. Without it, a reader that needs a
   * consistent view reads again until the checkpoints held still (the auditor's comparison).
   */
  snapshot?<T>(read: () => Promise<T>): Promise<T>;
}
