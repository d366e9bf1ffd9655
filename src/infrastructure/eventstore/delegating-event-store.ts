import type {
  AppendResult,
  EventContent,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  HashMismatch,
  RecordedEvent,
  StoredStreamHead,
} from '../../application/ports/event-store.port';
import type { ChainAuditReport } from '../../application/audit/chain-audit-report';

/**
 * An EventStore that hands every call to another: the base of decorators that change one call
 * (the metered store times appends; the tests' crashing store makes one throw).
 */
export class DelegatingEventStore implements EventStore {
  /** The inner store's optional reads, where it has them. */
  readonly streamHeads?: (visit: (head: StoredStreamHead) => void) => Promise<number>;
  readonly readLast?: (streamId: string) => Promise<RecordedEvent | null>;
  readonly streamOrdinal?: (streamId: string) => Promise<number | undefined>;
  readonly findHashMismatches?: (headPosition: number) => Promise<HashMismatch[]>;
  readonly readContent?: (
    fromPosition: number,
    limit: number,
    exceptStream: string,
  ) => Promise<EventContent[]>;
  readonly auditChains?: (headPosition: number, publicKeyPem: string) => Promise<ChainAuditReport>;

  constructor(protected readonly inner: EventStore) {
    if (inner.streamHeads) this.streamHeads = (visit) => inner.streamHeads!(visit);
    if (inner.readLast) this.readLast = (streamId) => inner.readLast!(streamId);
    if (inner.streamOrdinal) this.streamOrdinal = (streamId) => inner.streamOrdinal!(streamId);
    if (inner.findHashMismatches) this.findHashMismatches = (head) => inner.findHashMismatches!(head);
    if (inner.readContent)
      this.readContent = (from, limit, except) => inner.readContent!(from, limit, except);
    if (inner.auditChains) this.auditChains = (head, key) => inner.auditChains!(head, key);
  }

  append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.inner.append(streamId, events, expected);
  }

  readStream(streamId: string): Promise<RecordedEvent[]> {
    return this.inner.readStream(streamId);
  }

  readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    return this.inner.readAll(fromPosition, limit);
  }

  headPosition(): Promise<number> {
    return this.inner.headPosition();
  }

  subscribe(
    fromPosition: number,
    onEvent: (event: RecordedEvent) => Promise<void>,
    onError?: (error: unknown) => void,
  ): EventSubscription {
    return this.inner.subscribe(fromPosition, onEvent, onError);
  }

  status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    return this.inner.status();
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
