import {
  IDEMPOTENCY_CLAIM_LEASE_MS,
  type IdempotencyBegin,
  type IdempotencyStore,
  type StoredResponse,
} from '../../application/ports/idempotency-store.port';

interface Entry {
  fingerprint: string;
  createdAt: number;
  response?: StoredResponse;
}

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * Idempotency keys in process memory: for unit tests and the embedded topology. Keys are kept
 * for `ttlMs` (a day by default, like Stripe's) after they were first used, then forgotten.
 * A claim dies with the process, so no stale-lock handling is needed here.
 */
export class MemoryIdempotencyStore implements IdempotencyStore {
  // Insertion order is creation order, so expired entries are always at the front.
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly ttlMs: number = DAY_MS) {}

  async begin(scope: string, key: string, fingerprint: string, now: number): Promise<IdempotencyBegin> {
    this.forgetExpired(now);
    const id = entryId(scope, key);
    const entry = this.entries.get(id);
    if (!entry) {
      this.entries.set(id, { fingerprint, createdAt: now });
      return { kind: 'started' };
    }
    // A different body is a client bug whatever the first request's state.
    if (entry.fingerprint !== fingerprint) return { kind: 'mismatch' };
    if (!entry.response) {
      if (now - entry.createdAt < IDEMPOTENCY_CLAIM_LEASE_MS) return { kind: 'in_progress' };
      // A lapsed claim: re-inserted, so insertion order stays creation order.
      this.entries.delete(id);
      this.entries.set(id, { fingerprint, createdAt: now });
      return { kind: 'started' };
    }
    return { kind: 'replay', response: structuredClone(entry.response) };
  }

  async complete(scope: string, key: string, response: StoredResponse): Promise<void> {
    const entry = this.entries.get(entryId(scope, key));
    // No claim (released or expired): nothing to attach the answer to.
    if (entry) entry.response = structuredClone(response);
  }

  async release(scope: string, key: string): Promise<void> {
    const id = entryId(scope, key);
    // Only an open claim is released; a stored answer stays replayable.
    if (this.entries.get(id)?.response === undefined) this.entries.delete(id);
  }

  /** Number of keys held (for tests and health output). */
  get size(): number {
    return this.entries.size;
  }

  private forgetExpired(now: number): void {
    for (const [id, entry] of this.entries) {
      if (now - entry.createdAt < this.ttlMs) break;
      this.entries.delete(id);
    }
  }
}

/** JSON of the pair, so no scope/key split can make two different pairs collide. */
function entryId(scope: string, key: string): string {
  return JSON.stringify([scope, key]);
}
