import { assertNever } from '../shared/decider';
import { fromIso } from '../shared/time';
import type {
  QueuedPeriodStarted,
  SubscriptionEvent,
  SubscriptionPurchaseApplied,
} from './subscription.events';
import { applyRemoval } from './subscription.removal';
import {
  planOf,
  purchaseOf,
  type PurchaseRecord,
  type Run,
  type Subscribed,
  type SubscriptionState,
} from './subscription.state';
import { extendLastRun, startRun, upgradeLastRun } from './subscription.timeline';

export function evolve(state: SubscriptionState, event: SubscriptionEvent): SubscriptionState {
  if (event.type === 'SubscriptionPurchaseApplied') return purchaseApplied(state, event);
  // Every other event presupposes a subscription; on an empty stream there is nothing to change.
  return state.status === 'NONE' ? state : evolveSubscribed(state, event);
}

/** evolve for a stream that already has a subscription (keeps the narrower type for decide). */
export function evolveSubscribed(state: Subscribed, event: SubscriptionEvent): Subscribed {
  switch (event.type) {
    case 'SubscriptionPurchaseApplied':
      return purchaseApplied(state, event);
    case 'QueuedPeriodStarted':
      return queuedStarted(state, event);
    case 'SubscriptionExpired': {
      const at = fromIso(event.data.at);
      return { ...state, status: 'EXPIRED', endedAt: at, clock: Math.max(state.clock, at) };
    }
    case 'SubscriptionPurchaseRemoved':
      return applyRemoval(state, event.data.orderId, event.data.effect, fromIso(event.data.at));
    case 'SubscriptionRevoked': {
      const at = fromIso(event.data.at);
      return { ...state, status: 'REVOKED', endedAt: at, clock: Math.max(state.clock, at) };
    }
    default:
      return assertNever(event);
  }
}

function purchaseApplied(state: SubscriptionState, { data }: SubscriptionPurchaseApplied): Subscribed {
  const at = fromIso(data.effectiveAt);
  const plan = { planId: data.planId, planName: data.planName, price: data.price };
  const part = { orderId: data.orderId, months: data.months };
  // Fields listed, not spread: this runs for every purchase of every replay.
  const record: PurchaseRecord = {
    planId: data.planId,
    planName: data.planName,
    price: data.price,
    orderId: data.orderId,
    months: data.months,
    effect: data.effect,
    approvedAt: fromIso(data.approvedAt),
    effectiveAt: at,
    removed: false,
  };
  const base: Subscribed =
    state.status === 'NONE'
      ? {
          status: 'ACTIVE',
          userId: data.userId,
          purchases: {},
          runs: [],
          queue: [],
          endedAt: null,
          clock: at,
        }
      : state;
  const next = {
    ...base,
    purchases: { ...base.purchases, [data.orderId]: record },
    clock: Math.max(base.clock, at),
  };
  switch (data.effect) {
    case 'STARTED':
      return { ...next, status: 'ACTIVE', endedAt: null, runs: startRun(base.runs, plan, at, part) };
    case 'EXTENDED': // may continue a run whose end was already recorded (late approval)
      return { ...next, status: 'ACTIVE', endedAt: null, runs: extendLastRun(base.runs, part) };
    case 'UPGRADED':
      return { ...next, runs: upgradeLastRun(base.runs, plan, at, part) };
    case 'QUEUED':
      return { ...next, queue: [...base.queue, data.orderId] };
    default:
      return assertNever(data.effect);
  }
}

function queuedStarted(state: Subscribed, { data }: QueuedPeriodStarted): Subscribed {
  const start = fromIso(data.start);
  const purchase = purchaseOf(state, data.orderId);
  const part = { orderId: purchase.orderId, months: purchase.months };
  // The event says whether it continued the last run (anchor earlier than start) or began one.
  const runs: Run[] =
    fromIso(data.anchor) === start
      ? startRun(state.runs, planOf(purchase), start, part)
      : extendLastRun(state.runs, part);
  return {
    ...state,
    status: 'ACTIVE',
    endedAt: null,
    runs,
    queue: state.queue.filter((id) => id !== data.orderId),
    clock: Math.max(state.clock, start),
  };
}
