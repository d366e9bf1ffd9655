import type { RecordedEvent } from '../../../application/ports/event-store.port';

/**
 * The last events this process committed, by global position, so the projector and live
 * subscriptions following the head get them without reading back and parsing what was just
 * written. It answers with an unbroken run of positions only: the caller reads the rest of a
 * page from the table, which also brings in any event another process wrote in between.
 *
 * The events are frozen: they share their data with the aggregate state that produced them,
 * so a follower that changed one would change that state too.
 */
export class RecentEvents {
  private readonly byPosition = new Map<number, RecordedEvent>();

  constructor(private readonly capacity = 8192) {}

  /** Adds committed events, in the order of their positions. */
  add(event: RecordedEvent): void {
    this.byPosition.set(event.globalPosition, deepFreeze(event));
    if (this.byPosition.size > this.capacity) {
      const oldest = this.byPosition.keys().next().value;
      if (oldest !== undefined) this.byPosition.delete(oldest);
    }
  }

  /** The unbroken run of held events right after `position`, at most `limit` of them. */
  after(position: number, limit: number): RecordedEvent[] {
    const events: RecordedEvent[] = [];
    for (let next = position + 1; events.length < limit; next++) {
      const event = this.byPosition.get(next);
      if (event === undefined) break;
      events.push(event);
    }
    return events;
  }
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  Object.freeze(value);
  for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}
