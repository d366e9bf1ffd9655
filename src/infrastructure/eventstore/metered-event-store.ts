import {
  WrongExpectedRevisionError,
  type AppendResult,
  type EventStore,
  type EventToAppend,
  type ExpectedRevision,
} from '../../application/ports/event-store.port';
import type { ServiceMetrics } from '../metrics/service-metrics';
import { DelegatingEventStore } from './delegating-event-store';

/** An EventStore that counts and times appends; every other call goes straight through. */
export class MeteredEventStore extends DelegatingEventStore {
  constructor(
    inner: EventStore,
    private readonly metrics: ServiceMetrics,
  ) {
    super(inner);
  }

  override async append(
    streamId: string,
    events: EventToAppend[],
    expected: ExpectedRevision,
  ): Promise<AppendResult> {
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
}
