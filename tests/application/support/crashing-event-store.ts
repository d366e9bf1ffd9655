import type {
  AppendResult,
  EventToAppend,
  ExpectedRevision,
} from '../../../src/application/ports/event-store.port';
import { DelegatingEventStore } from '../../../src/infrastructure/eventstore/delegating-event-store';

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
export class CrashingEventStore extends DelegatingEventStore {
  private trigger: Trigger | null = null;
  crashed = false;

  /** The next append of an event of `type` (to a stream starting with `streamPrefix`, if given) crashes. */
  crashBefore(type: string, streamPrefix = ''): void {
    this.trigger = (streamId, events) =>
      streamId.startsWith(streamPrefix) && events.some((event) => event.type === type);
  }

  override async append(
    streamId: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
    if (this.crashed) throw new SimulatedCrash(streamId, events[0]?.type ?? '?');
    if (this.trigger?.(streamId, events)) {
      this.trigger = null;
      this.crashed = true;
      throw new SimulatedCrash(streamId, events.find((e) => e.type)?.type ?? '?');
    }
    return this.inner.append(streamId, events, expected);
  }
}
