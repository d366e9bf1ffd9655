import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Clock } from '../../application/ports/clock.port';

export class ClockMovedBackwardsError extends Error {
  constructor(
    readonly now: number,
    readonly requested: number,
  ) {
    super(`the sandbox clock never moves backwards (now ${new Date(now).toISOString()})`);
    this.name = 'ClockMovedBackwardsError';
  }
}

/**
 * The sandbox's clock: wall time plus an offset that only grows, so time passes as usual and
 * can also be moved forward. The offset is kept in a file, so its position survives a restart.
 */
export class SandboxClock implements Clock {
  private offsetMs: number;
  private last = 0;

  constructor(private readonly file: string) {
    this.offsetMs = SandboxClock.readOffset(file);
  }

  private static readOffset(file: string): number {
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { offsetMs?: unknown };
      return typeof parsed.offsetMs === 'number' && Number.isFinite(parsed.offsetMs) ? parsed.offsetMs : 0;
    } catch {
      return 0;
    }
  }

  now(): number {
    // Monotonic even if the wall clock steps back.
    this.last = Math.max(this.last, Date.now() + this.offsetMs);
    return this.last;
  }

  /** Moves the clock to `instant` if that is ahead of it; an instant already passed is a no-op. */
  moveForwardTo(instant: number): void {
    if (instant <= this.now()) return;
    this.offsetMs = instant - Date.now();
    this.last = instant;
    this.persist();
  }

  private persist(): void {
    mkdirSync(dirname(this.file), { recursive: true });
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, JSON.stringify({ offsetMs: this.offsetMs }));
    renameSync(tmp, this.file);
  }
}
