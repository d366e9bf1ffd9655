import type { SubscriptionPlan } from '../plan/plan';
import type { Instant } from '../shared/time';

/** C9: a payment for a subscription plan was approved; turn it into a period. Idempotent per orderId. */
export interface ApplyPurchase {
  type: 'ApplyPurchase';
  data: { userId: string; orderId: string; plan: SubscriptionPlan; approvedAt: Instant };
}

/** The scheduler's tick: record every queued start and expiry due at or before `now`. */
export interface AdvanceTime {
  type: 'AdvanceTime';
  data: Record<string, never>;
}

/** F4: a full refund of this order's payment removes the period it bought, effective `now`. */
export interface RemovePurchase {
  type: 'RemovePurchase';
  data: { orderId: string };
}

export type SubscriptionCommand = ApplyPurchase | AdvanceTime | RemovePurchase;
