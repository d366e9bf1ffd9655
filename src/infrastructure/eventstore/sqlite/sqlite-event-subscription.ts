import { EventEmitter } from 'node:events';
import { EventSubscription, RecordedEvent } from '../../../application/ports/event-store.port';

export interface PollingSubscriptionOptions {
  /** Reads up to `limit` events after `position` (exclusive). */
  readPage: (position: number, limit: number) => RecordedEvent[];
  /** Emits 'appended' after each commit in this process: wakes the subscription at once. */
  appended: EventEmitter;
  /** Events written by another process are only seen by polling. */
  pollMs: number;
  pageSize: number;
  onClosed: (subscription: SqliteEventSubscription) => void;
}

/**
 * Catch-up then live delivery from the SQLite store: pages through the table, then sleeps
 * until an in-process commit or the poll timer. One event at a time, each awaited.
 */
export class SqliteEventSubscription implements EventSubscription {
  private closed = false;
  private woken = false;
  private wake: (() => void) | undefined;
  private readonly onAppended = () => this.signal();

  constructor(
    private position: number,
    private readonly onEvent: (event: RecordedEvent) => Promise<void>,
    private readonly onError: ((error: unknown) => void) | undefined,
    private readonly options: PollingSubscriptionOptions,
  ) {
    options.appended.on('appended', this.onAppended);
    void this.run();
  }

  /**
   * Stops delivery. Does not wait for an onEvent already running: close() may be called from
   * inside onEvent, and waiting there would deadlock.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.options.appended.off('appended', this.onAppended);
    this.signal();
    this.options.onClosed(this);
  }

  private signal(): void {
    this.woken = true;
    this.wake?.();
  }

  private async run(): Promise<void> {
    try {
      while (!this.closed) {
        // Cleared before reading: a commit that lands after the read sets it again.
        this.woken = false;
        const page = this.options.readPage(this.position, this.options.pageSize);
        for (const event of page) {
          if (this.closed) return;
          await this.onEvent(event);
          this.position = event.globalPosition;
        }
        if (page.length < this.options.pageSize) await this.sleep();
        // A long catch-up must not starve I/O: awaiting a settled onEvent yields to microtasks only.
        else await new Promise((resolve) => setImmediate(resolve));
      }
    } catch (error) {
      if (this.closed) return;
      await this.close();
      this.onError?.(error);
    }
  }

  private sleep(): Promise<void> {
    if (this.woken || this.closed) return Promise.resolve();
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      // unref'd: an idle subscription must not keep the process alive.
      const timer = setTimeout(done, this.options.pollMs).unref();
      this.wake = done;
    });
  }
}
