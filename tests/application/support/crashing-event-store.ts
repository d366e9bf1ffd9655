import type {
  AppendResult,
  EventStore,
  EventSubscription,
  EventToAppend,
  ExpectedRevision,
  RecordedEvent,
} from '../../../src/application/ports/event-store.port';

export class SimulatedCrash extends Error {
  constructor(streamId: string, type: string) {
    super(`simulated crash before appending ${type} to ${streamId}`);
    this.name = 'SimulatedCrash';
  }
}

type Trigger = (streamId: string, events: readonly EventToAppend[]) => boolean;

/**
 * The real store, except that one chosen append throws before anything is written: the process
 * "dies" between two of its steps. Once crashed, every later append throws too (a dead process
 * writes nothing more), until the test restarts the application on a fresh instance.
 */
export class CrashingEventStore implements EventStore {
  private trigger: Trigger | null = null;
  crashed = false;

  constructor(private readonly inner: EventStore) {}

  /** The next append of an event of `type` (to a stream starting with `streamPrefix`, if given) crashes. */
  crashBefore(type: string, streamPrefix = ''): void {
    this.trigger = (streamId, events) =>
      streamId.startsWith(streamPrefix) && events.some((event) => event.type === type);
  }

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    if (this.crashed) throw new SimulatedCrash(streamId, events[0]?.type ?? '?');
    if (this.trigger?.(streamId, events)) {
      this.trigger = null;
      this.crashed = true;
      throw new SimulatedCrash(streamId, events.find((e) => e.type)?.type ?? '?');
    }
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
