/**
 * Stored responses for the REST `Idempotency-Key` header. A key is scoped to the caller and
 * the route; the body fingerprint tells a replay from a reuse.
 */
/**
 * How long an unfinished claim holds its key. A request that never completes (the process died
 * mid-request) must not lock the key for a day: after this lease a retry with the same body
 * runs again. Longer than any request can take (PG timeouts are at most 2 minutes).
 */
export const IDEMPOTENCY_CLAIM_LEASE_MS = 5 * 60_000;

export interface StoredResponse {
  status: number;
  body: unknown;
}

export type IdempotencyBegin =
  | { kind: 'started' }
  | { kind: 'replay'; response: StoredResponse }
  | { kind: 'in_progress' }
  | { kind: 'mismatch' };

export interface IdempotencyStore {
  /** Claims the key for this fingerprint (or its lapsed claim), or tells what is already there. */
  begin(scope: string, key: string, fingerprint: string, now: number): Promise<IdempotencyBegin>;
  /** Stores the final response for replay. */
  complete(scope: string, key: string, response: StoredResponse): Promise<void>;
  /** Releases a claim whose request failed before any effect (so it may be retried). */
  release(scope: string, key: string): Promise<void>;
}
