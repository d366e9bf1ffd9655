import type { AnyBulkWriteOperation } from 'mongodb';
import type { ReadModelWrite } from '../../../application/ports/read-model-store.port';

/** A read-model document as MongoDB holds it: the write's id as `_id`. */
export interface StoredDoc {
  _id: string;
  [field: string]: unknown;
}

/** Ordered operations per collection; order only matters within a collection (same ids). */
export function toBulkOperations(writes: ReadModelWrite[]): Map<string, AnyBulkWriteOperation<StoredDoc>[]> {
  const batches = new Map<string, AnyBulkWriteOperation<StoredDoc>[]>();
  for (const write of writes) {
    let operations = batches.get(write.collection);
    if (operations === undefined) {
      operations = [];
      batches.set(write.collection, operations);
    }
    if (write.doc === null) {
      operations.push({ deleteOne: { filter: { _id: write.id } } });
    } else {
      const { _id: _ignored, ...replacement } = write.doc;
      operations.push({ replaceOne: { filter: { _id: write.id }, replacement, upsert: true } });
    }
  }
  return batches;
}
