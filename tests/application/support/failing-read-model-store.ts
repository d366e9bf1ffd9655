import type {
  Doc,
  Page,
  ReadModelCheckpoint,
  ReadModelQuery,
  ReadModelStore,
  ReadModelWrite,
} from '../../../src/application/ports/read-model-store.port';

/**
 * A read-model store whose chosen commit throws, once, before anything reaches the store: the
 * process dies between two batches of the projector's catch-up.
 */
export class FailingReadModelStore implements ReadModelStore {
  commits = 0;

  constructor(
    private readonly inner: ReadModelStore,
    /** The commit (1-based) that fails. */
    private readonly failingCommit: number,
  ) {}

  async commit(
    writes: ReadModelWrite[],
    checkpoints: ReadModelCheckpoint | readonly ReadModelCheckpoint[],
  ): Promise<void> {
    this.commits += 1;
    if (this.commits === this.failingCommit) throw new Error(`read-model commit ${this.commits} failed`);
    return this.inner.commit(writes, checkpoints);
  }

  get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    return this.inner.get(collection, id);
  }
  query<T extends Doc>(collection: string, query: ReadModelQuery): Promise<Page<T>> {
    return this.inner.query(collection, query);
  }
  all<T extends Doc>(collection: string): Promise<T[]> {
    return this.inner.all(collection);
  }
  checkpoint(name: string): Promise<number> {
    return this.inner.checkpoint(name);
  }
  count(collection: string): Promise<number> {
    return this.inner.count(collection);
  }
  drop(collections: readonly string[], checkpoints: readonly string[]): Promise<void> {
    return this.inner.drop(collections, checkpoints);
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
