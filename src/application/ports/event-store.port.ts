/**
 * The event store: EventStoreDB in production, SQLite embedded. Every adapter passes
 * tests/contract/event-store.contract.ts.
 *
 * Positions: a stream's revision counts its events from 0; the global position orders every
 * event of every stream (SQLite: a sequence; EventStoreDB: the commit position) and is only
 * ever compared, never computed with.
 */

import type { ChainAuditReport } from '../audit/chain-audit-report';

/** Who caused an event: a user acting through the API, or a named background process. */
export type Actor = { kind: 'user'; userId: string; role: string } | { kind: 'system'; process: string };

export interface EventMetadata {
  /** Derived from the command's idempotency key, so a retried append is a no-op. */
  eventId: string;
  correlationId: string;
  causationId: string;
  actor: Actor;
  /** ISO-8601 from the Clock port. */
  recordedAt: string;
  /** Hash of the stream's previous event ('' for the first), and this event's own hash (A2). */
  prevHash: string;
  hash: string;
}

export interface EventToAppend {
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

export interface RecordedEvent {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
  data: Record<string, unknown>;
  metadata: EventMetadata;
}

/**
 * An event without its ids, actor and hashes: what the audit's business rules read (see
 * `EventStore.readContent`). A RecordedEvent is one.
 */
export interface EventContent {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
  data: Record<string, unknown>;
  metadata: Pick<EventMetadata, 'recordedAt'>;
}

/** `no_stream`: the stream must not exist; a number: the revision of its last event. */
export type ExpectedRevision = 'no_stream' | number;

export interface AppendResult {
  /** Revision of the last event now in the stream. */
  nextRevision: number;
  /** Global position of the last event appended (or of the original append, when idempotent). */
  globalPosition: number;
}

export class WrongExpectedRevisionError extends Error {
  constructor(
    readonly streamId: string,
    readonly expected: ExpectedRevision,
    readonly actual: number | 'no_stream',
  ) {
    super(`stream ${streamId}: expected revision ${expected}, actual ${actual}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** A stream's head as the store keeps it (stores that keep one per stream; see `EventStore.streamHeads`). */
export interface StoredStreamHead {
  streamId: string;
  /** Events in the stream (its last revision + 1). */
  count: number;
  /** The last event's hash. */
  head: string;
  /** The last event's global position. */
  lastPosition: number;
  /** The stream's place in the order streams first appeared (0-based), where the store keeps it. */
  ordinal?: number;
}

/** An event whose stored hash does not match its content (see `EventStore.findHashMismatches`). */
export interface HashMismatch {
  streamId: string;
  revision: number;
  globalPosition: number;
  type: string;
}

export interface EventSubscription {
  close(): Promise<void>;
}

export interface EventStore {
  /**
   * Appends atomically, only if the stream is at `expected`. Appending events whose ids are
   * already the events right after `expected` (a retry) succeeds without writing them again.
   * Throws WrongExpectedRevisionError otherwise.
   */
  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult>;
  /** All events of a stream in order; [] when the stream does not exist. */
  readStream(streamId: string): Promise<RecordedEvent[]>;
  /** Up to `limit` events of all streams after `fromPosition` (exclusive; 0 = from the start). */
  readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]>;
  /** Global position of the newest event, 0 when empty. */
  headPosition(): Promise<number>;
  /**
   * Catch-up subscription: delivers every event after `fromPosition` in order, then live
   * ones, awaiting `onEvent` before the next. Errors thrown by `onEvent` stop the subscription
   * and go to `onError`.
   */
  subscribe(
    fromPosition: number,
    onEvent: (event: RecordedEvent) => Promise<void>,
    onError?: (error: unknown) => void,
  ): EventSubscription;
  /**
   * Optional, for stores that keep a row per stream (SQLite): every stream's head at one
   * instant, in the order the streams first appeared, without reading the log. Resolves with
   * the global position the heads stand at (every event up to it, none after).
   */
  streamHeads?(visit: (head: StoredStreamHead) => void): Promise<number>;
  /** Optional: a stream's last event (null when there is none), without reading the stream. */
  readLast?(streamId: string): Promise<RecordedEvent | null>;
  /**
   * Optional, with `streamHeads`: a stream's place in the order streams first appeared (0-based,
   * as `StoredStreamHead.ordinal`), undefined for a stream the store does not hold. Lets the
   * sealer find a stream's Merkle leaf without a map of every stream name.
   */
  streamOrdinal?(streamId: string): Promise<number | undefined>;
  /**
   * Optional, for stores that can do it faster than the caller (SQLite: over the stored bytes,
   * on worker threads): every event up to `headPosition` whose stored hash is not the hash of
   * its content (event-hash.ts), in position order.
   */
  findHashMismatches?(headPosition: number): Promise<HashMismatch[]>;
  /**
   * Optional, with `auditChains`: `readAll` without the ids, actor and hashes, and without the
   * events of `exceptStream` (the audit's rules read the log this way while the chains are checked
   * elsewhere). Positions as in `readAll`; a page may be shorter than `limit` only at the end.
   */
  readContent?(fromPosition: number, limit: number, exceptStream: string): Promise<EventContent[]>;
  /**
   * Optional, for stores that can read the log twice at once (SQLite: on a worker thread): the
   * audit's chain and seal checks (application/audit/chain-audit.ts) over every event up to
   * `headPosition`, reading only what they need (stream, revision, position, hashes), the seals
   * trusted with `publicKeyPem`. Hashes are not recomputed (see `findHashMismatches`).
   */
  auditChains?(headPosition: number, publicKeyPem: string): Promise<ChainAuditReport>;
  /** Health: a short description of the store, and whether it answers. */
  status(): Promise<{ kind: string; ok: boolean; detail?: string }>;
  close(): Promise<void>;
}
