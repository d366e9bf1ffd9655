import type { SubscriptionPlan } from '../../../src/domain/plan/plan';
import { fold } from '../../../src/domain/shared/decider';
import { DomainError } from '../../../src/domain/shared/domain-error';
import type { Instant } from '../../../src/domain/shared/time';
import type { SubscriptionCommand } from '../../../src/domain/subscription/subscription.commands';
import { subscriptionDecider } from '../../../src/domain/subscription/subscription.decider';
import type { SubscriptionEvent } from '../../../src/domain/subscription/subscription.events';
import { subscriptionView } from '../../../src/domain/subscription/subscription.view';

/** Shared given/when/then vocabulary for the subscription decider tests. */

import { BASIC, PREMIUM } from './plans.fixture';

export { BASIC, PREMIUM };
export const USER = 'user-1';

/** Same price as BASIC, different plan: a change to it is queued, not an upgrade. */
export const STANDARD: SubscriptionPlan = {
  kind: 'SUBSCRIPTION',
  id: 4,
  code: 'STANDARD',
  name: '월간 스탠다드',
  price: 9_900,
  months: 1,
};

/** A wall-clock time in Seoul, e.g. kst('2024-01-31T10:00'), as an Instant. */
export const kst = (local: string): Instant => Date.parse(`${local}+09:00`);
/** The same, as the ISO string events carry. */
export const iso = (local: string): string => new Date(kst(local)).toISOString();

export const purchase = (
  orderId: string,
  plan: SubscriptionPlan,
  approvedAt: Instant,
  userId = USER,
): SubscriptionCommand => ({
  type: 'ApplyPurchase',
  data: { userId, orderId, plan, approvedAt },
});
export const advanceTime: SubscriptionCommand = { type: 'AdvanceTime', data: {} };
export const removePurchase = (orderId: string): SubscriptionCommand => ({
  type: 'RemovePurchase',
  data: { orderId },
});

/** A purchase step for `history`: applied at its own approval time. */
export const bought = (
  orderId: string,
  plan: SubscriptionPlan,
  approvedAt: Instant,
): [SubscriptionCommand, Instant] => [purchase(orderId, plan, approvedAt), approvedAt];

/** The events a sequence of commands records (each decided on the state the previous ones left). */
export function history(...steps: Array<[SubscriptionCommand, Instant]>): SubscriptionEvent[] {
  return steps.reduce<SubscriptionEvent[]>(
    (events, [command, now]) => [
      ...events,
      ...subscriptionDecider.decide(command, fold(subscriptionDecider, events), now),
    ],
    [],
  );
}

export const stateOf = (events: SubscriptionEvent[]) => fold(subscriptionDecider, events);
export const viewOf = (events: SubscriptionEvent[], now: Instant) => subscriptionView(stateOf(events), now);

export function given(events: SubscriptionEvent[]) {
  return {
    when(command: SubscriptionCommand, now: Instant) {
      const decided = () => subscriptionDecider.decide(command, stateOf(events), now);
      return {
        then(expected: SubscriptionEvent[]): void {
          expect(decided()).toEqual(expected);
        },
        thenRejects(code: string): void {
          let error: unknown = null;
          try {
            decided();
          } catch (caught) {
            error = caught;
          }
          expect(error).toBeInstanceOf(DomainError);
          expect((error as DomainError).code).toBe(code);
        },
        /** The decided events folded onto the given ones, for assertions on the resulting state. */
        events(): SubscriptionEvent[] {
          return [...events, ...decided()];
        },
      };
    },
  };
}

/** Expected events, written with Seoul wall-clock times. */
export function applied(p: {
  orderId: string;
  plan: SubscriptionPlan;
  approvedAt: string;
  effect: 'STARTED' | 'EXTENDED' | 'UPGRADED' | 'QUEUED';
  anchor: string;
  periodStart: string;
  periodEnd: string;
  creditDays?: number;
  effectiveAt?: string;
}): SubscriptionEvent {
  return {
    type: 'SubscriptionPurchaseApplied',
    data: {
      userId: USER,
      orderId: p.orderId,
      planId: p.plan.id,
      planName: p.plan.name,
      price: p.plan.price,
      months: p.plan.months,
      approvedAt: iso(p.approvedAt),
      effectiveAt: iso(p.effectiveAt ?? p.approvedAt),
      effect: p.effect,
      anchor: iso(p.anchor),
      periodStart: iso(p.periodStart),
      periodEnd: iso(p.periodEnd),
      creditDays: p.creditDays ?? 0,
    },
  };
}

export const expired = (at: string): SubscriptionEvent => ({
  type: 'SubscriptionExpired',
  data: { at: iso(at) },
});

export const queuedStarted = (
  orderId: string,
  plan: SubscriptionPlan,
  start: string,
  end: string,
  anchor = start,
): SubscriptionEvent => ({
  type: 'QueuedPeriodStarted',
  data: {
    orderId,
    planId: plan.id,
    planName: plan.name,
    start: iso(start),
    end: iso(end),
    anchor: iso(anchor),
  },
});

export const removed = (
  orderId: string,
  at: string,
  effect: 'DEQUEUED' | 'PAST' | 'SHORTENED' | 'UPGRADE_REVERSED',
  periodEnd: string | null,
): SubscriptionEvent => ({
  type: 'SubscriptionPurchaseRemoved',
  data: { orderId, at: iso(at), effect, periodEnd: periodEnd === null ? null : iso(periodEnd) },
});

export const revoked = (at: string, orderId: string): SubscriptionEvent => ({
  type: 'SubscriptionRevoked',
  data: { at: iso(at), orderId },
});
