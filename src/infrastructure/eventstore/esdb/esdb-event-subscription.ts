import {
  START,
  excludeSystemEvents,
  type AllStreamSubscription,
  type EventStoreDBClient,
  type Position,
} from '@eventstore/db-client';
import { EventSubscription, RecordedEvent } from '../../../application/ports/event-store.port';
import { comparePositions, fromEsdbEvent, isApplicationEvent, toEsdbPosition } from './esdb-event-mapper';

const MAX_BACKOFF_MS = 5000;

/**
 * A catch-up subscription to $all. The client does not resubscribe by itself, so a dropped
 * subscription is reopened here, with backoff, after the last delivered position (ESDB start
 * positions are exclusive). Consumed with `for await`, never a 'data' listener: the stream's
 * backpressure is what makes each onEvent finish before the next starts.
 */
export class EsdbEventSubscription implements EventSubscription {
  private closed = false;
  private current: AllStreamSubscription | undefined;
  private lastPosition: Position | undefined;
  private stopBackoff: (() => void) | undefined;

  constructor(
    private readonly client: EventStoreDBClient,
    fromPosition: number,
    private readonly onEvent: (event: RecordedEvent) => Promise<void>,
    private readonly onError: ((error: unknown) => void) | undefined,
    private readonly onClosed: (subscription: EsdbEventSubscription) => void,
  ) {
    this.lastPosition = fromPosition === 0 ? undefined : toEsdbPosition(fromPosition);
    void this.run();
  }

  /** Stops delivery; does not wait for an onEvent already running (it may be the caller). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopBackoff?.();
    this.onClosed(this);
    const subscription = this.current;
    this.current = undefined;
    if (!subscription) return;
    await subscription.unsubscribe().catch(() => undefined);
    // A cancelled gRPC stream need not end the piped readable; destroy it so `for await` returns.
    subscription.destroy();
  }

  private async run(): Promise<void> {
    let attempt = 0;
    while (!this.closed) {
      const subscription = this.client.subscribeToAll({
        fromPosition: this.lastPosition ?? START,
        filter: excludeSystemEvents(),
      });
      this.current = subscription;
      try {
        for await (const resolved of subscription) {
          if (this.closed) return;
          const event = resolved.event;
          if (!event || !isApplicationEvent(event)) continue;
          // Defensive: never redeliver at or before what was delivered, whatever the server sends.
          if (this.lastPosition && comparePositions(event.position, this.lastPosition) <= 0) continue;
          if (!(await this.deliver(event))) return;
          this.lastPosition = event.position;
          attempt = 0;
        }
      } catch {
        // Dropped (server restart, network): resubscribe below from lastPosition.
      }
      if (this.closed) return;
      await this.backoff(++attempt);
    }
  }

  /** false when onEvent failed: the subscription is then closed and onError told. */
  private async deliver(event: Parameters<typeof fromEsdbEvent>[0]): Promise<boolean> {
    try {
      await this.onEvent(fromEsdbEvent(event));
      return true;
    } catch (error) {
      await this.close();
      this.onError?.(error);
      return false;
    }
  }

  private backoff(attempt: number): Promise<void> {
    const delay = Math.min(MAX_BACKOFF_MS, 100 * 2 ** Math.min(attempt, 10));
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.stopBackoff = undefined;
        resolve();
      };
      const timer = setTimeout(done, delay);
      this.stopBackoff = done;
    });
  }
}
