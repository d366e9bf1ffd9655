import {
  DEFAULT_PLANS,
  type EventPlan,
  type Plan,
  type SubscriptionPlan,
} from '../../../src/domain/plan/plan';

/** The default catalog's plans (DESIGN.md: 9,900 / 19,900 a month, EVENT 1,000–1,000,000). */
function plan<P extends Plan>(code: string): P {
  const found = DEFAULT_PLANS.find((p) => p.code === code);
  if (!found) throw new Error(`no default plan ${code}`);
  return found as P;
}

export const BASIC = plan<SubscriptionPlan>('BASIC');
export const PREMIUM = plan<SubscriptionPlan>('PREMIUM');
export const EVENT = plan<EventPlan>('EVENT');
