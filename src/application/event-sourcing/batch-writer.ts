import type { Doc, ReadModelStore, ReadModelWrite } from '../ports/read-model-store.port';
import type { ProjectionWriter } from './projection';

/** Buffers a batch's writes so they commit atomically with the checkpoint. */
export class BatchWriter implements ProjectionWriter {
  private readonly pending = new Map<string, ReadModelWrite>();

  constructor(private readonly store: ReadModelStore) {}

  async get<T extends Doc>(collection: string, id: string): Promise<T | null> {
    const buffered = this.pending.get(`${collection}\u0000${id}`);
    if (buffered) return buffered.doc as T | null;
    return this.store.get<T>(collection, id);
  }

  put(collection: string, id: string, doc: Doc): void {
    this.pending.set(`${collection}\u0000${id}`, { collection, id, doc });
  }

  delete(collection: string, id: string): void {
    this.pending.set(`${collection}\u0000${id}`, { collection, id, doc: null });
  }

  writes(): ReadModelWrite[] {
    return [...this.pending.values()];
  }
}
