import type { Clock } from '../../application/ports/clock.port';

/** Wall-clock time: the live topology's clock. */
export class SystemClock implements Clock {
  now(): number {
    return Date.now();
  }
}
