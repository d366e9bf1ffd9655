import { parkedWorkDecider, processStreamId } from '../../domain/process/parked-work.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import { parkKey, pendingCollection, type PendingWork } from './pending-work';

/** What one attempt at an item came to. */
export type StepOutcome =
  /** The work is done (or no longer owed): its events are appended, the item will leave. */
  | { kind: 'done' }
  /** Nothing failed, but the work waits for something (the PG's schedule): come back then. */
  | { kind: 'wait'; until: number }
  /** It failed: retried with backoff, parked after the last attempt. */
  | { kind: 'failed'; reason: string };

export const done: StepOutcome = { kind: 'done' };
export const waitUntil = (until: number): StepOutcome => ({ kind: 'wait', until });
export const failed = (reason: string): StepOutcome => ({ kind: 'failed', reason });

/** One process's step over one item: idempotent, safe to repeat after a crash at any point. */
export interface ProcessStep<I extends PendingWork> {
  readonly process: string;
  run(item: I, now: number): Promise<StepOutcome>;
}

export interface RetryPolicy {
  firstRetryMs: number;
  maxRetryMs: number;
  /** Failed attempts before an item is parked. */
  maxAttempts: number;
}

/** 30 s, 1, 2, 4 ... minutes, at most 6 hours apart; parked after 12 failures (about 1.6 days). */
export const DEFAULT_RETRY: RetryPolicy = {
  firstRetryMs: 30_000,
  maxRetryMs: 6 * 3_600_000,
  maxAttempts: 12,
};

/** A done item still listed (its events not projected yet) is not tried again before this. */
const DONE_RECHECK_MS = 30_000;
const SCAN_PAGE = 500;
/** Items attempted per run; the rest are due at once, so the scheduler comes straight back. */
const RUN_BUDGET = 200;

interface Tries {
  failures: number;
  retryAt: number;
  /** The episode these tries belong to: a new episode of the same item starts afresh. */
  episode: string;
}

export interface ProcessStatus {
  process: string;
  pending: number;
  parked: Array<{ id: string; reason: string | null; since: string }>;
}

/**
 * Runs one process over all of its pending work, fairly (P2): every owed, unparked item is
 * scanned on every run, page after page; a failing item backs off on its own schedule, so it
 * never holds back newer work; after the last allowed failure it is parked as a recorded fact.
 * The retry bookkeeping covers only items still listed, so it cannot grow without bound.
 */
export class ProcessJob<I extends PendingWork> implements DueJobSource {
  readonly name: string;
  private readonly collection: string;
  private readonly tries = new Map<string, Tries>();

  constructor(
    private readonly step: ProcessStep<I>,
    private readonly readModels: ReadModelStore,
    private readonly repository: AggregateRepository,
    private readonly report: (source: string, error: unknown) => void,
    private readonly policy: RetryPolicy = DEFAULT_RETRY,
  ) {
    this.name = step.process;
    this.collection = pendingCollection(step.process);
  }

  async nextDueAt(): Promise<number | null> {
    let earliest: number | null = null;
    for (const tries of this.tries.values())
      if (earliest === null || tries.retryAt < earliest) earliest = tries.retryAt;
    // Items come in due order: the first one not waiting on its own retry is the earliest.
    await this.scan({ owed: true, parked: false }, (item) => {
      if (earliest !== null && item.dueAtMs >= earliest) return false;
      if (this.retryAt(item) === null) {
        earliest = item.dueAtMs;
        return false;
      }
      return true;
    });
    return earliest;
  }

  async runDue(now: number): Promise<void> {
    const due: I[] = [];
    const seen = new Set<string>();
    await this.scan({ owed: true, parked: false }, (item) => {
      if (item.dueAtMs > now) return false;
      seen.add(item.id);
      const retryAt = this.retryAt(item);
      if (retryAt === null || retryAt <= now) due.push(item);
      return true;
    });
    // Every listed item due by now was seen: the rest of the bookkeeping is for work now gone.
    for (const id of this.tries.keys()) if (!seen.has(id)) this.tries.delete(id);
    for (const item of due.slice(0, RUN_BUDGET)) await this.attempt(item, now);
  }

  /** Pending and parked work, for /health and operators. */
  async status(): Promise<ProcessStatus> {
    const parked = await this.all({ parked: true });
    return {
      process: this.step.process,
      pending: (await this.all({ owed: true, parked: false })).length,
      parked: parked
        .filter((item) => item.owed)
        .map((item) => ({
          id: item.id,
          reason: item.parkedReason,
          since: new Date(item.sinceMs).toISOString(),
        })),
    };
  }

  /**
   * An operator retries a parked item: recorded on the process's stream, after which the item
   * is scanned again with fresh attempts. False when no parked item of this process has that id.
   */
  async retryParked(id: string, requestId: string): Promise<boolean> {
    const item = (await this.all({ parked: true })).find((candidate) => candidate.id === id);
    if (!item) return false;
    const itemId = parkKey(item);
    await this.repository.handle(
      processStreamId(this.step.process),
      parkedWorkDecider,
      { type: 'RetryParkedWork', process: this.step.process, itemId },
      systemContext(this.name, `retry:${this.name}:${itemId}:${requestId}`, requestId),
    );
    this.tries.delete(id);
    return true;
  }

  private async attempt(item: I, now: number): Promise<void> {
    const episode = parkKey(item);
    let outcome: StepOutcome;
    try {
      outcome = await this.step.run(item, now);
    } catch (error) {
      outcome = failed(error instanceof Error ? error.message : String(error));
    }
    const before = this.tries.get(item.id);
    const failures = before?.episode === episode ? before.failures : 0;
    switch (outcome.kind) {
      case 'done':
        this.tries.set(item.id, { failures: 0, retryAt: now + DONE_RECHECK_MS, episode });
        return;
      case 'wait':
        this.tries.set(item.id, { failures, retryAt: outcome.until, episode });
        return;
      case 'failed': {
        const count = failures + 1;
        if (count >= this.policy.maxAttempts) {
          await this.park(item, outcome.reason, count);
          this.tries.delete(item.id);
          return;
        }
        const backoff = Math.min(this.policy.firstRetryMs * 2 ** (count - 1), this.policy.maxRetryMs);
        this.tries.set(item.id, { failures: count, retryAt: now + backoff, episode });
      }
    }
  }

  private async park(item: I, reason: string, attempts: number): Promise<void> {
    const itemId = parkKey(item);
    this.report(this.name, new Error(`parked ${itemId} after ${attempts} attempts: ${reason}`));
    await this.repository.handle(
      processStreamId(this.step.process),
      parkedWorkDecider,
      { type: 'ParkWork', process: this.step.process, itemId, reason, attempts },
      systemContext(this.name, `park:${this.name}:${itemId}`),
    );
  }

  /** When this episode of the item may be tried again, or null when it was never tried. */
  private retryAt(item: I): number | null {
    const tries = this.tries.get(item.id);
    return tries?.episode === parkKey(item) ? tries.retryAt : null;
  }

  /** Every matching item in due order, page after page, while `visit` asks for more. */
  private async scan(where: Record<string, boolean>, visit: (item: I) => boolean): Promise<void> {
    let cursor: string | undefined;
    do {
      const page = await this.readModels.query<I>(this.collection, {
        where,
        orderBy: 'dueAtMs',
        direction: 'asc',
        limit: SCAN_PAGE,
        cursor,
      });
      for (const item of page.items) if (!visit(item)) return;
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
  }

  private async all(where: Record<string, boolean>): Promise<I[]> {
    const items: I[] = [];
    await this.scan(where, (item) => items.push(item) > 0);
    return items;
  }
}
