import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventSubscription,
  type EventToAppend,
  type ExpectedRevision,
  type RecordedEvent,
} from '../../application/ports/event-store.port';
import type { ServiceMetrics } from '../metrics/service-metrics';

/** An EventStore that counts and times appends; every other call goes straight through. */
export class MeteredEventStore implements EventStore {
  constructor(
    private readonly inner: EventStore,
    private readonly metrics: ServiceMetrics,
  ) {}

  async append(streamId: string, events: EventToAppend[], expected: ExpectedRevision): Promise<AppendResult> {
    const started = performance.now();
    let outcome = 'error';
    try {
      const result = await this.inner.append(streamId, events, expected);
      outcome = 'ok';
      this.metrics.appendedEvents.inc(events.length);
      return result;
    } catch (error) {
      if (error instanceof WrongExpectedRevisionError) outcome = 'conflict';
      throw error;
    } finally {
      this.metrics.appends.inc({ outcome });
      this.metrics.appendDuration.observe((performance.now() - started) / 1000);
    }
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
