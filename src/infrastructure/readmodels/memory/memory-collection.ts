import type { Doc, ReadModelQuery } from '../../../application/ports/read-model-store.port';
import type { CursorPosition } from '../cursor';
import { HashIndex, type IndexKey } from './hash-index';
import { compareIds, compareSortValues } from './sort-order';

export interface Selected {
  /** The page's documents (the stored objects: the caller copies them). */
  entries: Array<{ id: string; doc: Doc }>;
  /** Whether at least one more matching document follows the page. */
  hasMore: boolean;
}

interface Candidate {
  id: string;
  doc: Doc;
  value: unknown;
}

/** Above this page size a full sort of the matches beats keeping a sorted top-k buffer. */
const TOP_K_MAX = 256;

/**
 * One read-model collection in memory: documents by id plus lazily built hash indexes on the
 * fields `where` has asked about, so a query touches only the documents that match.
 */
export class MemoryCollection {
  readonly docs = new Map<string, Doc>();
  private readonly indexes = new Map<string, HashIndex>();

  put(id: string, doc: Doc | null): void {
    const before = this.docs.get(id);
    if (doc === null) this.docs.delete(id);
    else this.docs.set(id, doc);
    if (before === undefined && doc === null) return;
    for (const index of this.indexes.values()) index.update(id, before, doc ?? undefined);
  }

  select(query: ReadModelQuery, after: CursorPosition | undefined): Selected {
    const sign = query.direction === 'desc' ? -1 : 1;
    const compare = (a: Candidate, b: Candidate): number =>
      sign * (compareSortValues(a.value, b.value) || compareIds(a.id, b.id));
    const k = query.limit + 1; // one extra tells whether a next page exists
    const useTopK = k <= TOP_K_MAX;
    const kept: Candidate[] = [];

    const whereEntries = Object.entries(query.where);
    const recheck = whereEntries.length > 1; // one field: its bucket is the exact answer
    for (const [id, doc] of this.candidates(whereEntries)) {
      if (recheck && !matches(doc, whereEntries)) continue;
      const candidate: Candidate = { id, doc, value: doc[query.orderBy] };
      if (after !== undefined && compare(candidate, { id: after.id, doc, value: after.value }) <= 0) {
        continue;
      }
      if (!useTopK) kept.push(candidate);
      else insertTopK(kept, candidate, k, compare);
    }
    if (!useTopK) kept.sort(compare);

    const hasMore = kept.length > query.limit;
    const page = hasMore ? kept.slice(0, query.limit) : kept;
    return { entries: page.map(({ id, doc }) => ({ id, doc })), hasMore };
  }

  /** The smallest index bucket among the `where` fields, or every document without a filter. */
  private candidates(where: Array<[string, IndexKey]>): Iterable<[string, Doc]> {
    if (where.length === 0) return this.docs;
    let smallest: ReadonlyMap<string, Doc> | undefined;
    for (const [field, value] of where) {
      const bucket = this.index(field).lookup(value);
      if (bucket === undefined) return [];
      if (smallest === undefined || bucket.size < smallest.size) smallest = bucket;
    }
    return smallest ?? [];
  }

  private index(field: string): HashIndex {
    let index = this.indexes.get(field);
    if (index === undefined) {
      index = HashIndex.build(field, this.docs);
      this.indexes.set(field, index);
    }
    return index;
  }
}

/** Checks every field: the bucket answered only one of them. */
function matches(doc: Doc, where: Array<[string, IndexKey]>): boolean {
  for (const [field, value] of where) if (doc[field] !== value) return false;
  return true;
}

/** Keeps `kept` sorted and at most `k` long: O(1) to reject, O(k) to insert. */
function insertTopK(
  kept: Candidate[],
  candidate: Candidate,
  k: number,
  compare: (a: Candidate, b: Candidate) => number,
): void {
  if (kept.length === k && compare(candidate, kept[k - 1]!) >= 0) return;
  let lo = 0;
  let hi = kept.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compare(kept[mid]!, candidate) < 0) lo = mid + 1;
    else hi = mid;
  }
  kept.splice(lo, 0, candidate);
  if (kept.length > k) kept.pop();
}
