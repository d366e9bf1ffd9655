import type { Document, IndexSpecification, Sort } from 'mongodb';
import type { ReadModelQuery } from '../../../application/ports/read-model-store.port';
import type { CursorPosition } from '../cursor';

/**
 * Pure translation of a ReadModelQuery into a MongoDB filter, sort and index key, kept apart
 * from the adapter so it is tested without a server. Documents are stored as `{_id: id, ...doc}`,
 * so the id tie-break is `_id`.
 *
 * The cursor condition relies on MongoDB's type bracketing ($gt on a number only matches
 * numbers): an orderBy field must hold one type per collection, or be missing (null). Missing
 * sorts first ascending and last descending, as in the memory store.
 */

/** Read models are addressed by plain top-level field names; `$` would be an operator, `.` a path. */
export function assertPlainField(field: string): void {
  if (field.length === 0 || field.startsWith('$') || field.includes('.') || field.includes('\0')) {
    throw new Error(`read-model field name not supported by MongoDB: ${JSON.stringify(field)}`);
  }
}

export function toFilter(query: ReadModelQuery, after: CursorPosition | undefined): Document {
  for (const field of Object.keys(query.where)) assertPlainField(field);
  assertPlainField(query.orderBy);
  const where: Document = { ...query.where };
  if (after === undefined) return where;
  // $and, not a merged object: `where` may name the orderBy field too.
  return { $and: [where, afterCursor(query.orderBy, query.direction, after)] };
}

/** Everything that sorts strictly after (value, id) in the query's direction. */
export function afterCursor(orderBy: string, direction: 'asc' | 'desc', after: CursorPosition): Document {
  const { value, id } = after;
  if (direction === 'asc') {
    if (value === null) return { $or: [{ [orderBy]: { $ne: null } }, { [orderBy]: null, _id: { $gt: id } }] };
    return { $or: [{ [orderBy]: { $gt: value } }, { [orderBy]: value, _id: { $gt: id } }] };
  }
  if (value === null) return { [orderBy]: null, _id: { $lt: id } };
  // { [orderBy]: null } (null or missing) sorts below every value, so it follows in descending order.
  return {
    $or: [{ [orderBy]: { $lt: value } }, { [orderBy]: value, _id: { $lt: id } }, { [orderBy]: null }],
  };
}

export function toSort(query: ReadModelQuery): Sort {
  const dir = query.direction === 'asc' ? 1 : -1;
  return { [query.orderBy]: dir, _id: dir };
}

/**
 * The compound index that serves a query shape: equality fields first (sorted, so one index per
 * set of fields), then the sort key, then _id. Walked backwards it serves the descending sort.
 */
export function indexKeyFor(whereFields: readonly string[], orderBy: string): IndexSpecification {
  const key: Record<string, 1> = {};
  for (const field of [...whereFields].sort()) key[field] = 1;
  key[orderBy] = 1;
  key._id = 1;
  return key;
}
