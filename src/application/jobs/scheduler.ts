import type { Clock } from '../ports/clock.port';
import type { DueJobSource } from '../ports/due-job-source.port';

const MAX_STEPS = 10_000;
const RETRY_STUCK_MS = 1_000;
const MAX_RETRY_STUCK_MS = 5 * 60_000;

/**
 * Runs the background jobs when they fall due on the Clock, one run at a time: every second
 * in real time, and step by step when the sandbox clock is moved forward.
 */
export class Scheduler {
  private queue: Promise<unknown> = Promise.resolve();
  /** A runDue queued behind the current work and not started yet. */
  private waiting: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** The instant each source last ran at: a source still due there is retried a second later. */
  private readonly ranAt = new Map<string, number>();
  /** Consecutive runs that left a source still due: its retries back off (1 s, 2 s, ... 5 min). */
  private readonly stuckRuns = new Map<string, number>();

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

  /**
   * Runs whatever is due now. Calls that come while a run is still waiting its turn share that
   * run (a burst of webhooks asks for one run, not one each): it looks at the clock when it starts.
   */
  runDue(): Promise<void> {
    if (this.waiting) return this.waiting;
    const run = this.serially(() => {
      this.waiting = null;
      return this.runAt(this.clock.now());
    });
    this.waiting = run;
    return run;
  }

  /**
   * Moves time to `target` through every instant at which a job falls due, running it there,
   * in order. `moveClock` sets the clock (it never moves backwards).
   */
  advanceTo(target: number, moveClock: (instant: number) => void): Promise<void> {
    return this.serially(async () => {
      let steps = 0;
      for (; steps < MAX_STEPS; steps++) {
        const next = await this.earliestDue();
        if (next === null || next > target) break;
        const at = Math.max(this.clock.now(), next);
        if (at > target) break;
        moveClock(at);
        await this.runAt(at);
      }
      if (steps === MAX_STEPS)
        this.onError('scheduler', new Error('clock advance gave up stepping: too many job runs'));
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
    if (ran === undefined || next > ran) return next;
    const stuck = this.stuckRuns.get(source.name) ?? 1;
    return ran + Math.min(RETRY_STUCK_MS * 2 ** (stuck - 1), MAX_RETRY_STUCK_MS);
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
      const after = await source.nextDueAt();
      if (after !== null && after <= now)
        this.stuckRuns.set(source.name, (this.stuckRuns.get(source.name) ?? 0) + 1);
      else this.stuckRuns.delete(source.name);
    }
  }
}
