import type {
  Doc,
  Page,
  ReadModelCheckpoint,
  ReadModelQuery,
  ReadModelStore,
  ReadModelWrite,
} from '../ports/read-model-store.port';
import type { LiveCollections } from './projection-builds';

/**
 * The read models as queries, processes and the auditor see them: each collection name goes to
 * the build that serves it now (the projector switches builds, see projection-builds.ts), so a
 * rebuild is invisible to readers until the switch, and complete after it.
 */
export class LiveReadModelStore implements ReadModelStore {
  constructor(
    private readonly inner: ReadModelStore,
    private readonly live: LiveCollections,
  ) {}

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.inner.get<T>(this.live.physical(collection), id);
  }

  query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>> {
    return this.inner.query<T>(this.live.physical(collection), query);
  }

  all<T extends Doc>(collection: string): Promise<T[]> {
    return this.inner.all<T>(this.live.physical(collection));
  }

  commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    return this.inner.commit(
      writes.map((write) => ({ ...write, collection: this.live.physical(write.collection) })),
      checkpoints,
    );
  }

  /** A group's checkpoint by the group's name is its live build's. */
  checkpoint(name: string): Promise<number> {
    return this.inner.checkpoint(this.live.checkpoint(name));
  }

  count(collection: string): Promise<number> {
    return this.inner.count(this.live.physical(collection));
  }

  drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    return this.inner.drop(
      collections.map((c) => this.live.physical(c)),
      checkpoints,
    );
  }

  clear(): Promise<void> {
    return this.inner.clear();
  }

  status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    return this.inner.status();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
