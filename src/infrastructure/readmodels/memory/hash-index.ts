import type { Doc } from '../../../application/ports/read-model-store.port';

export type IndexKey = string | number | boolean;

/**
 * A collection's documents bucketed by the value of one top-level field, so an equality
 * `where` costs one map lookup instead of a scan. Buckets hold the documents themselves, not
 * ids: a second lookup per match in a large id map was the main cost of a query (cache misses).
 * Only string/number/boolean values are indexed: a `where` can only ask for those.
 */
export class HashIndex {
  private readonly buckets = new Map<IndexKey, Map<string, Doc>>();

  constructor(readonly field: string) {}

  static build(field: string, docs: ReadonlyMap<string, Doc>): HashIndex {
    const index = new HashIndex(field);
    for (const [id, doc] of docs) index.add(id, doc);
    return index;
  }

  /** Documents whose field equals `value` (live: read it before the next write). */
  lookup(value: IndexKey): ReadonlyMap<string, Doc> | undefined {
    return this.buckets.get(value);
  }

  /** Keeps the index in step with a document replacing `before` (either may be absent). */
  update(id: string, before: Doc | undefined, after: Doc | undefined): void {
    if (before !== undefined) this.remove(id, before);
    if (after !== undefined) this.add(id, after);
  }

  private add(id: string, doc: Doc): void {
    const key = keyOf(doc[this.field]);
    if (key === undefined) return;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      bucket = new Map();
      this.buckets.set(key, bucket);
    }
    bucket.set(id, doc);
  }

  private remove(id: string, doc: Doc): void {
    const key = keyOf(doc[this.field]);
    if (key === undefined) return;
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return;
    bucket.delete(id);
    if (bucket.size === 0) this.buckets.delete(key);
  }
}

function keyOf(value: unknown): IndexKey | undefined {
  const t = typeof value;
  // NaN never equals anything, so it is left out like any unmatchable value.
  if (t === 'number') return value !== value ? undefined : (value as number);
  return t === 'string' || t === 'boolean' ? (value as IndexKey) : undefined;
}
