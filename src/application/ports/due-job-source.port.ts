/**
 * Anything with work that falls due at a time on the Clock: order expiry, reconciliation,
 * subscription expiry, the sandbox's webhook deliveries. The scheduler runs them in time order,
 * and `POST /sandbox/clock` steps the clock through each instant at which one falls due.
 */
export interface DueJobSource {
  readonly name: string;
  /** The earliest instant (epoch ms) at which this source has work, or null when none. */
  nextDueAt(): Promise<number | null>;
  /** Runs everything due at or before `now`. Must be idempotent and safe to re-run. */
  runDue(now: number): Promise<void>;
}
