import type { Krw } from '../shared/money';
import type { Instant } from '../shared/time';
import type { PurchaseEffect } from './subscription.events';

/** The plan facts a period needs, snapshotted from the purchase. */
export interface PlanSnapshot {
  planId: number;
  planName: string;
  price: Krw;
}

/** One purchase's months inside a run, in purchase order. */
export interface RunPart {
  orderId: string;
  months: number;
}

/**
 * An unbroken run of one plan: its months always count from `anchor` (S4). A run started by an
 * upgrade `supersedes` the run it cut (by index), whose unused time becomes its day credit.
 * `cutAt` is set on a run an upgrade cut short; it is kept so a refunded upgrade can restore it.
 */
export interface Run extends PlanSnapshot {
  anchor: Instant;
  parts: readonly RunPart[];
  supersedes: number | null;
  cutAt: Instant | null;
}

export interface PurchaseRecord extends PlanSnapshot {
  orderId: string;
  months: number;
  effect: PurchaseEffect;
  approvedAt: Instant;
  effectiveAt: Instant;
  /** Fully refunded (F4). */
  removed: boolean;
}

export interface NeverSubscribed {
  status: 'NONE';
}

/**
 * The recorded status: due transitions not yet recorded are applied by `dueTransitions`
 * (in decide) or virtually (in the view), never assumed here.
 */
export interface Subscribed {
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  userId: string;
  purchases: Readonly<Record<string, PurchaseRecord>>;
  /** Every run in order; the last one is current while ACTIVE. Never empty. */
  runs: readonly Run[];
  /** Order ids waiting for the current period to end, in order. */
  queue: readonly string[];
  /** When the last run stopped covering (expiry or revocation instant); null while ACTIVE. */
  endedAt: Instant | null;
  /** The latest instant any recorded event took effect at; nothing is effective before it. */
  clock: Instant;
}

export type SubscriptionState = NeverSubscribed | Subscribed;

export const initialState: SubscriptionState = { status: 'NONE' };

export const lastIndex = (state: Subscribed): number => state.runs.length - 1;

export function purchaseOf(state: Subscribed, orderId: string): PurchaseRecord {
  const purchase = state.purchases[orderId];
  if (!purchase) throw new Error(`subscription ${state.userId}: unknown purchase ${orderId}`);
  return purchase;
}

/** Index of the run holding this order's months, or -1 (queued, or never applied). */
export const runIndexOf = (runs: readonly Run[], orderId: string): number =>
  runs.findIndex((run) => run.parts.some((part) => part.orderId === orderId));

/** Just the plan fields (a purchase record carries more than a run should copy). */
export const planOf = ({ planId, planName, price }: PlanSnapshot): PlanSnapshot => ({
  planId,
  planName,
  price,
});
