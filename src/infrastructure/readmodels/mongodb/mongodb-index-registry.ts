import type { Collection, Document } from 'mongodb';
import { indexKeyFor } from './mongodb-read-model-query';

/** A query shape to index: equality fields and the field it is ordered by. */
export interface ReadModelIndexSpec {
  collection: string;
  where: string[];
  orderBy: string;
}

/**
 * Creates each query shape's index once per process. createIndex is idempotent on the server,
 * so this only saves the round trip; a failed creation is forgotten so the next query retries.
 */
export class MongoDbIndexRegistry {
  private readonly created = new Map<string, Promise<void>>();
  /** Why the last lazy creation failed, for status(); cleared by the next success. */
  lastError: string | undefined;

  ensure<T extends Document>(
    collection: Collection<T>,
    where: readonly string[],
    orderBy: string,
  ): Promise<void> {
    const key = indexKeyFor(where, orderBy);
    const id = `${collection.collectionName}:${JSON.stringify(key)}`;
    let pending = this.created.get(id);
    if (pending === undefined) {
      pending = collection.createIndex(key).then(
        () => undefined,
        (error: unknown) => {
          this.created.delete(id);
          throw error;
        },
      );
      this.created.set(id, pending);
    }
    return pending;
  }

  /**
   * For the query path: an index only makes a query faster, so a failed creation (a race with
   * a concurrent collection creation, missing privileges) must not fail the read. It is kept in
   * `lastError` and retried by the next query.
   */
  async ensureQuietly<T extends Document>(
    collection: Collection<T>,
    where: readonly string[],
    orderBy: string,
  ): Promise<void> {
    try {
      await this.ensure(collection, where, orderBy);
      this.lastError = undefined;
    } catch (error) {
      this.lastError = error instanceof Error ? error.message : String(error);
    }
  }

  /** After collections are dropped their indexes are gone too. */
  forget(): void {
    this.created.clear();
  }
}
