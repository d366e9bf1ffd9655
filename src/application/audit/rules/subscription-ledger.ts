import { continuesLast, endOf, type Run } from './subscription-runs';
import type { FindingPlace } from './audit-rule';

export interface Queued {
  orderId: string;
  planId: number;
  price: number;
  months: number;
}

export interface Purchase {
  months: number;
  removed: boolean;
  at: FindingPlace;
}

/** One user's subscription as the auditor tracks it from the recorded events. */
export interface Ledger {
  userId: string;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  runs: Run[];
  queue: Queued[];
  purchases: Map<string, Purchase>;
  /** The latest instant any recorded event took effect at. */
  clock: number;
  /** Set by a removal that left nothing covering its instant: the takeover or revocation is due there. */
  gapAt: number | null;
}

export const newLedger = (userId: string): Ledger => ({
  userId,
  status: 'EXPIRED',
  runs: [],
  queue: [],
  purchases: new Map(),
  clock: Number.NEGATIVE_INFINITY,
  gapAt: null,
});

/** End of the current period (the last run's end), or -∞ before any. */
export const currentEnd = (ledger: Ledger): number =>
  ledger.runs.length === 0 ? Number.NEGATIVE_INFINITY : endOf(ledger.runs, ledger.runs.length - 1);

/** Active at `t`: recorded active and either still in its period or with a queued one to take over. */
export const activeAt = (ledger: Ledger, t: number): boolean =>
  ledger.status === 'ACTIVE' && (currentEnd(ledger) > t || ledger.queue.length > 0);

export function startQueued(ledger: Ledger, next: Queued, start: number): void {
  if (continuesLast(ledger.runs, next.planId, start)) {
    ledger.runs[ledger.runs.length - 1].parts.push({ orderId: next.orderId, months: next.months });
  } else {
    ledger.runs.push({
      planId: next.planId,
      price: next.price,
      anchor: start,
      parts: [{ orderId: next.orderId, months: next.months }],
      supersedes: null,
      cutAt: null,
    });
  }
}

/** A purchase as recorded (its effect taken as the event states it; placementProblem judged it). */
export function applyPurchase(ledger: Ledger, purchase: Queued, effect: string, t: number): void {
  const part = { orderId: purchase.orderId, months: purchase.months };
  const run = { planId: purchase.planId, price: purchase.price, anchor: t, parts: [part], cutAt: null };
  const last = ledger.runs.at(-1);
  ledger.clock = Math.max(ledger.clock, t);
  if (effect === 'QUEUED') {
    ledger.queue.push(purchase);
    return; // the status stays as it is until the purchase starts
  }
  if (effect === 'EXTENDED' && last) last.parts.push(part);
  else if (effect === 'UPGRADED' && last) {
    last.cutAt = t;
    ledger.runs.push({ ...run, supersedes: ledger.runs.length - 1 });
  } else ledger.runs.push({ ...run, supersedes: null });
  ledger.status = 'ACTIVE';
}

/** A queued purchase takes over at `start`. */
export function startQueuedOrder(ledger: Ledger, orderId: string, start: number): void {
  const queued = ledger.queue.find((q) => q.orderId === orderId);
  if (queued) {
    ledger.queue = ledger.queue.filter((q) => q !== queued);
    startQueued(ledger, queued, start);
  }
  ledger.status = 'ACTIVE';
  ledger.clock = Math.max(ledger.clock, start);
}

/** F4's removal as recorded (its effect is taken as the event states it). */
export function removePurchase(ledger: Ledger, orderId: string, effect: string): void {
  switch (effect) {
    case 'DEQUEUED':
      ledger.queue = ledger.queue.filter((q) => q.orderId !== orderId);
      return;
    case 'SHORTENED':
      for (const run of ledger.runs) run.parts = run.parts.filter((part) => part.orderId !== orderId);
      return;
    case 'UPGRADE_REVERSED': {
      const upgrade = ledger.runs.pop();
      if (!upgrade) return;
      if (upgrade.supersedes !== null) ledger.runs[upgrade.supersedes].cutAt = null;
      const leftovers = upgrade.parts
        .filter((part) => part.orderId !== orderId)
        .map((part) => ({
          orderId: part.orderId,
          planId: upgrade.planId,
          price: upgrade.price,
          months: part.months,
        }));
      ledger.queue = [...leftovers, ...ledger.queue];
      return;
    }
    default: // PAST: an elapsed period is history; nothing current changes
      return;
  }
}
