import { MongoServerError, type Collection, type MongoClient } from 'mongodb';
import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  type IdempotencyBegin,
  type IdempotencyStore,
  type StoredResponse,
} from '../../application/ports/idempotency-store.port';

/** One Idempotency-Key claim; `_id` is the (scope, key) pair, so the claim is the unique insert. */
export interface IdempotencyKeyDoc {
  _id: string;
  fingerprint: string;
  /** A Date, because the TTL index only expires Date fields. */
  createdAt: Date;
  /** JSON of the StoredResponse, absent while the claim is open. JSON, so any body (keys with
   * `$` or `.`) round-trips and a replay is byte-for-byte what was first sent. */
  response?: string;
}

const COLLECTION = 'idempotency_keys';
const DAY_MS = 24 * 60 * 60 * 1000;
const DUPLICATE_KEY = 11000;
/** Each retry means another request claimed or dropped the key in between; give up after a few. */
const MAX_CLAIM_ATTEMPTS = 5;

/**
 * REST Idempotency-Key records in MongoDB (the production topology). The unique `_id` makes
 * begin() a race-free claim across processes. Keys live `ttlMs` (a day) after first use:
 * begin() judges expiry by its `now`, and a TTL index removes old records by the server's wall
 * clock (its monitor runs about once a minute), so expired keys never pile up.
 */
export class MongoDbIdempotencyStore implements IdempotencyStore {
  private readonly keys: Collection<IdempotencyKeyDoc>;
  private indexesReady: Promise<void> | undefined;

  constructor(
    client: MongoClient,
    dbName: string,
    private readonly ttlMs = DAY_MS,
  ) {
    this.keys = client.db(dbName).collection<IdempotencyKeyDoc>(COLLECTION);
  }

  /** Creates the TTL index once (begin() calls it; call it at start to fail early). */
  ensureIndexes(): Promise<void> {
    this.indexesReady ??= this.keys
      .createIndex(
        { createdAt: 1 },
        { name: 'createdAt_ttl', expireAfterSeconds: Math.ceil(this.ttlMs / 1000) },
      )
      .then(
        () => undefined,
        (error: unknown) => {
          this.indexesReady = undefined; // let the next call try again
          throw error;
        },
      );
    return this.indexesReady;
  }

  async begin(scope: string, key: string, fingerprint: string, now: number): Promise<IdempotencyBegin> {
    await this.ensureIndexes();
    const _id = entryId(scope, key);
    const claim: IdempotencyKeyDoc = { _id, fingerprint, createdAt: new Date(now) };
    for (let attempt = 0; attempt < MAX_CLAIM_ATTEMPTS; attempt++) {
      try {
        await this.keys.insertOne(claim);
        return { kind: 'started' };
      } catch (error) {
        if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      }
      const existing = await this.keys.findOne({ _id });
      if (existing === null) continue; // released or swept since the insert failed
      if (isExpired(existing, now, this.ttlMs)) {
        // Not swept yet. Replacing only that expired record keeps a concurrent claim safe.
        const replaced = await this.keys.replaceOne({ _id, createdAt: existing.createdAt }, claim);
        if (replaced.matchedCount === 1) return { kind: 'started' };
        continue;
      }
      if (hasLapsed(existing, fingerprint, now)) {
        // Only that unfinished claim is replaced, so a concurrent taker cannot both win.
        const taken = await this.keys.replaceOne(
          { _id, createdAt: existing.createdAt, response: { $exists: false } },
          claim,
        );
        if (taken.matchedCount === 1) return { kind: 'started' };
        continue;
      }
      return answerExisting(existing, fingerprint);
    }
    // Lost every race to other requests with this key: one of them is in flight.
    return { kind: 'in_progress' };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    // No claim (released or expired): nothing to attach the answer to, as in the other stores.
    await this.keys.updateOne(
      { _id: entryId(scope, key) },
      { $set: { response: JSON.stringify({ status: response.status, body: response.body }) } },
    );
  }

  async release(scope: string, key: string): Promise<void> {
    // Only an open claim is released; a stored answer stays replayable.
    await this.keys.deleteOne({ _id: entryId(scope, key), response: { $exists: false } });
  }
}

/** What an existing, unexpired record means for a request with this fingerprint. */
export function answerExisting(existing: IdempotencyKeyDoc, fingerprint: string): IdempotencyBegin {
  // A different body is a client bug whatever the first request's state.
  if (existing.fingerprint !== fingerprint) return { kind: 'mismatch' };
  if (typeof existing.response !== 'string') return { kind: 'in_progress' };
  return { kind: 'replay', response: JSON.parse(existing.response) as StoredResponse };
}

/** An unfinished claim of the same request whose lease has run out (its process died). */
export function hasLapsed(existing: IdempotencyKeyDoc, fingerprint: string, now: number): boolean {
  return (
    existing.fingerprint === fingerprint &&
    typeof existing.response !== 'string' &&
    now - existing.createdAt.getTime() >= IDEMPOTENCY_CLAIM_LEASE_MS
  );
}

export function isExpired(existing: IdempotencyKeyDoc, now: number, ttlMs: number): boolean {
  return existing.createdAt.getTime() <= now - ttlMs;
}

/** JSON of the pair, so no scope/key split can make two different pairs collide. */
function entryId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}
