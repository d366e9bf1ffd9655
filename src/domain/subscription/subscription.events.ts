import type { DomainEvent } from '../shared/decider';
import type { Krw } from '../shared/money';
import type { IsoTime } from '../shared/time';

/** What a purchase did to the subscription, decided once so an auditor reads it plainly. */
export type PurchaseEffect = 'STARTED' | 'EXTENDED' | 'UPGRADED' | 'QUEUED';

/**
 * What a full refund (F4) did: DEQUEUED (never started), PAST (its period had elapsed, no
 * entitlement changes), SHORTENED (its months left the current period, or the credit it fed),
 * UPGRADE_REVERSED (the upgrade and its carried-over days are gone; the old plan comes back).
 */
export type RemovalEffect = 'DEQUEUED' | 'PAST' | 'SHORTENED' | 'UPGRADE_REVERSED';

export type SubscriptionPurchaseApplied = DomainEvent<
  'SubscriptionPurchaseApplied',
  {
    userId: string;
    orderId: string;
    planId: number;
    planName: string;
    price: Krw;
    months: number;
    /** When the PG approved the payment. */
    approvedAt: IsoTime;
    /** When it took effect: approvedAt, or the latest recorded transition if that is later. */
    effectiveAt: IsoTime;
    effect: PurchaseEffect;
    /** Start of the run the months count from (S4). For QUEUED: projected at decision time. */
    anchor: IsoTime;
    /** The segment this purchase bought. For QUEUED: projected at decision time. */
    periodStart: IsoTime;
    periodEnd: IsoTime;
    /** Whole days carried over from the superseded plan (UPGRADED only, else 0). */
    creditDays: number;
  }
>;

/** A queued purchase took over at exactly the instant the previous period ended. */
export type QueuedPeriodStarted = DomainEvent<
  'QueuedPeriodStarted',
  {
    orderId: string;
    planId: number;
    planName: string;
    start: IsoTime;
    end: IsoTime;
    /** Run it counts from: `start` for a new run, the earlier anchor when it continues a run of the same plan. */
    anchor: IsoTime;
  }
>;

/** The period ended with nothing queued; `at` is the end instant itself, not when it was noticed. */
export type SubscriptionExpired = DomainEvent<'SubscriptionExpired', { at: IsoTime }>;

export type SubscriptionPurchaseRemoved = DomainEvent<
  'SubscriptionPurchaseRemoved',
  {
    orderId: string;
    at: IsoTime;
    effect: RemovalEffect;
    /** End of the period covering `at` after the removal; null when nothing covers it any more. */
    periodEnd: IsoTime | null;
  }
>;

/** After a removal nothing backs the subscription any more. */
export type SubscriptionRevoked = DomainEvent<'SubscriptionRevoked', { at: IsoTime; orderId: string }>;

export type SubscriptionEvent =
  | SubscriptionPurchaseApplied
  | QueuedPeriodStarted
  | SubscriptionExpired
  | SubscriptionPurchaseRemoved
  | SubscriptionRevoked;
