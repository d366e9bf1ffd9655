import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';

const MAX_STEPS = 10_000;
const RETRY_STUCK_MS = 1_000;

/**
 * Runs the background jobs when they fall due on the Clock, one run at a time: every second
 * in real time, and step by step when the sandbox clock is moved forward.
 */
export class Scheduler {
  private queue: Promise<unknown> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  /** The instant each source last ran at: a source still due there is retried a second later. */
  private readonly ranAt = new Map<string, number>();

  constructor(
    private readonly sources: readonly DueJobSource[],
    private readonly clock: Clock,
    private readonly catchUp: () => Promise<void>,
    private readonly onError: (source: string, error: unknown) => void,
  ) {}

  start(intervalMs = 1_000): void {
    this.timer = setInterval(
      () => void this.runDue().catch((error) => this.onError('scheduler', error)),
      intervalMs,
    );
    this.timer.unref();
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.queue.catch(() => undefined);
  }

  /** Runs whatever is due now. */
  runDue(): Promise<void> {
    return this.serially(() => this.runAt(this.clock.now()));
  }

  /**
   * Moves time to `target` through every instant at which a job falls due, running it there,
   * in order. `moveClock` sets the clock (it never moves backwards).
   */
  advanceTo(target: number, moveClock: (instant: number) => void): Promise<void> {
    return this.serially(async () => {
      for (let step = 0; step < MAX_STEPS; step++) {
        const next = await this.earliestDue();
        if (next === null || next > target) break;
        const at = Math.max(this.clock.now(), next);
        if (at > target) break;
        moveClock(at);
        await this.runAt(at);
      }
      moveClock(Math.max(target, this.clock.now()));
      await this.runAt(this.clock.now());
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async dueAt(source: DueJobSource): Promise<number | null> {
    const next = await source.nextDueAt();
    const ran = this.ranAt.get(source.name);
    if (next === null) return null;
    return ran !== undefined && next <= ran ? ran + RETRY_STUCK_MS : next;
  }

  private async earliestDue(): Promise<number | null> {
    await this.catchUp();
    let earliest: number | null = null;
    for (const source of this.sources) {
      const next = await this.dueAt(source);
      if (next !== null && (earliest === null || next < earliest)) earliest = next;
    }
    return earliest;
  }

  private async runAt(now: number): Promise<void> {
    await this.catchUp();
    for (const source of this.sources) {
      const next = await this.dueAt(source);
      if (next === null || next > now) continue;
      this.ranAt.set(source.name, now);
      try {
        await source.runDue(now);
      } catch (error) {
        this.onError(source.name, error);
      }
      await this.catchUp();
    }
  }
}
