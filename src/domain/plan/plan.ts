import type { Krw } from '../shared/money';

/** A subscription plan buys `months` of access at a fixed price; the EVENT plan is a donation. */
export type Plan = SubscriptionPlan | EventPlan;

export interface SubscriptionPlan {
  kind: 'SUBSCRIPTION';
  id: number;
  code: string;
  name: string;
  price: Krw;
  months: number;
}

export interface EventPlan {
  kind: 'EVENT';
  id: number;
  code: string;
  name: string;
  minAmount: Krw;
  maxAmount: Krw;
}

export const DEFAULT_PLANS: readonly Plan[] = [
  { kind: 'SUBSCRIPTION', id: 1, code: 'BASIC', name: '월간 베이직', price: 9_900, months: 1 },
  { kind: 'SUBSCRIPTION', id: 2, code: 'PREMIUM', name: '월간 프리미엄', price: 19_900, months: 1 },
  { kind: 'EVENT', id: 3, code: 'EVENT', name: '이벤트 후원', minAmount: 1_000, maxAmount: 1_000_000 },
];
