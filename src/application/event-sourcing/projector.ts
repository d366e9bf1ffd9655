import type { EventStore } from '../ports/event-store.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import { BatchWriter } from './batch-writer';
import type { Projection } from './projection';

const CHECKPOINT = 'projections';

interface Waiter {
  position: number;
  resolve: (caughtUp: boolean) => void;
}

/**
 * Keeps the read models current: reads the event store from the checkpoint in pages, applies
 * every projection, and commits the writes with the new checkpoint in one step. Wakes on
 * appends made in this process and polls for the rest.
 */
export class Projector {
  private position = 0;
  private running = false;
  private wakeUp: (() => void) | null = null;
  private waiters: Waiter[] = [];
  private loop: Promise<void> | null = null;
  private lastError: unknown = null;
  private dirty = false;
  /** catchUp runs one at a time: two concurrent drains would apply a batch twice. */
  private draining: Promise<void> = Promise.resolve();

  constructor(
    private readonly events: EventStore,
    private readonly readModels: ReadModelStore,
    private readonly projections: readonly Projection[],
    private readonly options: { batchSize: number; pollMs: number } = { batchSize: 500, pollMs: 250 },
  ) {}

  get checkpoint(): number {
    return this.position;
  }

  get failure(): unknown {
    return this.lastError;
  }

  /** Started: it caught up with the head the store had at start, and follows it until stopped. */
  get following(): boolean {
    return this.running;
  }

  /** Catches up with everything already stored, then keeps following. */
  async start(): Promise<void> {
    this.position = await this.readModels.checkpoint(CHECKPOINT);
    await this.catchUp();
    this.running = true;
    this.loop = this.follow();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
    for (const waiter of this.waiters) waiter.resolve(false);
    this.waiters = [];
  }

  /** Something was appended (at `position`, when known): catch up, unless it is projected already. */
  wake(position?: number): void {
    if (position !== undefined && position <= this.position) return;
    this.dirty = true;
    this.wakeUp?.();
  }

  /** Resolves true once the read models include `position`, or false after `timeoutMs`. */
  waitFor(position: number, timeoutMs = 2_000): Promise<boolean> {
    if (this.position >= position) return Promise.resolve(true);
    this.wake();
    return new Promise((resolve) => {
      const waiter: Waiter = { position, resolve };
      const timer = setTimeout(() => {
        this.waiters = this.waiters.filter((w) => w !== waiter);
        resolve(false);
      }, timeoutMs);
      waiter.resolve = (caughtUp) => {
        clearTimeout(timer);
        resolve(caughtUp);
      };
      this.waiters.push(waiter);
    });
  }

  /** Applies every stored event not yet projected. */
  catchUp(): Promise<void> {
    const run = this.draining.then(() => this.drain());
    this.draining = run.catch(() => undefined);
    return run;
  }

  private async drain(): Promise<void> {
    for (;;) {
      const batch = await this.events.readAll(this.position, this.options.batchSize);
      const last = batch[batch.length - 1];
      if (!last) return;
      const writer = new BatchWriter(this.readModels);
      for (const event of batch) {
        for (const projection of this.projections) await projection.apply(event, writer);
      }
      await this.readModels.commit(writer.writes(), { name: CHECKPOINT, position: last.globalPosition });
      this.position = last.globalPosition;
      this.release();
      // A short page was everything there was: asking again would only find nothing.
      if (batch.length < this.options.batchSize) return;
    }
  }

  private release(): void {
    const ready = this.waiters.filter((w) => w.position <= this.position);
    if (ready.length === 0) return;
    this.waiters = this.waiters.filter((w) => w.position > this.position);
    for (const waiter of ready) waiter.resolve(true);
  }

  private async follow(): Promise<void> {
    while (this.running) {
      this.dirty = false;
      try {
        await this.catchUp();
        this.lastError = null;
      } catch (error) {
        // A projection bug or a read-model outage must not kill the service; retry on the next tick.
        this.lastError = error;
      }
      if (this.dirty && this.lastError === null) continue;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.pollMs);
        this.wakeUp = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wakeUp = null;
    }
  }
}
