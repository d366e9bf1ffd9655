import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NO_STREAM,
  START,
  StreamNotFoundError,
  jsonEvent,
  type Position,
} from '@eventstore/db-client';
import {
  AppendResult,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
  WrongExpectedRevisionError,
} from '../../../application/ports/event-store.port';
import {
  comparePositions,
  fromEsdbEvent,
  isApplicationEvent,
  toEsdbPosition,
  toPortError,
  toSafePosition,
} from './esdb-event-mapper';
import { EsdbEventSubscription } from './esdb-event-subscription';

const STATUS_TIMEOUT_MS = 3000;
const HEAD_PAGE = 100;

/** The production event store: EventStoreDB through @eventstore/db-client v6. */
export class EsdbEventStore implements EventStore {
  private readonly subscriptions = new Set<EsdbEventSubscription>();

  constructor(
    private readonly client: EventStoreDBClient,
    /** Shown by status(); must not carry credentials. */
    private readonly description: string,
  ) {}

  /** One client per process, from an `esdb://` connection string (EVENTSTORE_URL). */
  static connect(url: string): EsdbEventStore {
    return new EsdbEventStore(EventStoreDBClient.connectionString(url), url.replace(/\/\/[^@/]*@/, '//'));
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (events.length === 0) return this.checkRevision(streamId, expected);
    try {
      const result = await this.client.appendToStream(
        streamId,
        events.map((e) =>
          jsonEvent({ id: e.metadata.eventId, type: e.type, data: e.data, metadata: e.metadata }),
        ),
        // Never ANY: only an explicit expectation makes the server's id-based idempotency reliable.
        { expectedRevision: expected === 'no_stream' ? NO_STREAM : BigInt(expected) },
      );
      const globalPosition = result.position
        ? toSafePosition(result.position.commit)
        : // No position in the answer (seen on idempotent writes): read the last event back.
          (await this.readOne(streamId, result.nextExpectedRevision)).globalPosition;
      return { nextRevision: Number(result.nextExpectedRevision), globalPosition };
    } catch (error) {
      throw toPortError(error, streamId, expected);
    }
  }

  async readStream(streamId: string): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    try {
      for await (const resolved of this.client.readStream(streamId)) {
        if (resolved.event) events.push(fromEsdbEvent(resolved.event));
      }
    } catch (error) {
      // Thrown while iterating, not at the call.
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
    return events;
  }

  /**
   * ESDB's $all read starts AT the given position, ours after it: read from it and skip what
   * is not after. System events are skipped too, so a page may take more than one read.
   */
  async readAll(fromPosition: number, limit: number): Promise<RecordedEvent[]> {
    const events: RecordedEvent[] = [];
    let after: Position | undefined = fromPosition === 0 ? undefined : toEsdbPosition(fromPosition);
    while (events.length < limit) {
      const maxCount = limit - events.length + 1; // +1: the first one read may be `after` itself
      let read = 0;
      for await (const resolved of this.client.readAll({ fromPosition: after ?? START, maxCount })) {
        read++;
        const event = resolved.event;
        if (!event || (after && comparePositions(event.position, after) <= 0)) continue;
        after = event.position;
        if (isApplicationEvent(event) && events.length < limit) events.push(fromEsdbEvent(event));
      }
      if (read < maxCount) break; // end of $all
    }
    return events;
  }

  async headPosition(): Promise<number> {
    let before: Position | undefined;
    for (;;) {
      let read = 0;
      let newest: number | undefined;
      const page = this.client.readAll({
        direction: BACKWARDS,
        fromPosition: before ?? END,
        maxCount: HEAD_PAGE,
      });
      for await (const resolved of page) {
        read++;
        const event = resolved.event;
        if (!event || (before && comparePositions(event.position, before) >= 0)) continue;
        before = event.position;
        if (newest === undefined && isApplicationEvent(event)) newest = toSafePosition(event.position.commit);
      }
      if (newest !== undefined) return newest;
      if (read < HEAD_PAGE) return 0;
    }
  }

  subscribe(
    fromPosition: number,
    onEvent: (event: RecordedEvent) => Promise<void>,
    onError?: (error: unknown) => void,
  ): EventSubscription {
    const subscription = new EsdbEventSubscription(this.client, fromPosition, onEvent, onError, (closed) =>
      this.subscriptions.delete(closed),
    );
    this.subscriptions.add(subscription);
    return subscription;
  }

  async status(): Promise<{ kind: string; ok: boolean; detail?: string }> {
    const probe = async () => {
      for await (const _ of this.client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1 })) {
        // One event (or none) read means the server answers.
      }
    };
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer in ${STATUS_TIMEOUT_MS} ms`)), STATUS_TIMEOUT_MS);
    });
    try {
      // Streaming reads ignore the client's deadline option, hence our own timer.
      await Promise.race([probe(), timeout]);
      return { kind: 'eventstoredb', ok: true, detail: this.description };
    } catch (error) {
      return { kind: 'eventstoredb', ok: false, detail: `${this.description}: ${(error as Error).message}` };
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.client.dispose();
  }

  /** An empty append: only the revision check, answered from the stream's last event. */
  private async checkRevision(streamId: string, expected: ExpectedRevision): Promise<AppendResult> {
    let last: RecordedEvent | undefined;
    try {
      for await (const resolved of this.client.readStream(streamId, {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: 1,
      })) {
        if (resolved.event) last = fromEsdbEvent(resolved.event);
      }
    } catch (error) {
      if (!(error instanceof StreamNotFoundError)) throw error;
    }
    const current = last?.revision ?? -1;
    if (current !== (expected === 'no_stream' ? -1 : expected)) {
      throw new WrongExpectedRevisionError(streamId, expected, last ? current : 'no_stream');
    }
    return { nextRevision: current, globalPosition: last?.globalPosition ?? 0 };
  }

  private async readOne(streamId: string, revision: bigint): Promise<RecordedEvent> {
    for await (const resolved of this.client.readStream(streamId, { fromRevision: revision, maxCount: 1 })) {
      if (resolved.event) return fromEsdbEvent(resolved.event);
    }
    throw new Error(`EventStoreDB: ${streamId}@${revision} not found right after appending it`);
  }
}
