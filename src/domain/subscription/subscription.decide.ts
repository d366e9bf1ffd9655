import { assertNever } from '../shared/decider';
import { reject } from '../shared/domain-error';
import { isKrw } from '../shared/money';
import { toIso, type Instant } from '../shared/time';
import type { ApplyPurchase, SubscriptionCommand } from './subscription.commands';
import type { PurchaseEffect, SubscriptionEvent, SubscriptionPurchaseApplied } from './subscription.events';
import { applyRemoval, classifyRemoval } from './subscription.removal';
import { lastIndex, planOf, purchaseOf, runIndexOf } from './subscription.state';
import type { PlanSnapshot, Run, RunPart, Subscribed, SubscriptionState } from './subscription.state';
import {
  continuesLastRun,
  creditDays,
  extendLastRun,
  naturalEnd,
  runSegments,
  startQueued,
  startRun,
  upgradeLastRun,
} from './subscription.timeline';
import { dueTransitions, queuedStart } from './subscription.transitions';

export function decide(
  command: SubscriptionCommand,
  state: SubscriptionState,
  now: Instant,
): SubscriptionEvent[] {
  switch (command.type) {
    case 'ApplyPurchase':
      return applyPurchase(command.data, state);
    case 'AdvanceTime':
      return state.status === 'NONE' ? [] : dueTransitions(state, now).events;
    case 'RemovePurchase':
      return removePurchase(command.data.orderId, state, now);
    default:
      return assertNever(command);
  }
}

/**
 * Records the transitions due before the approval, then what the purchase does. A late
 * approval (reconciled after later facts were recorded) takes effect at the latest recorded
 * instant: history already written is never rewritten.
 */
function applyPurchase(data: ApplyPurchase['data'], state: SubscriptionState): SubscriptionEvent[] {
  const { plan } = data;
  if (!data.orderId) reject('VALIDATION_FAILED', 'orderId is required');
  if (!Number.isSafeInteger(data.approvedAt))
    reject('VALIDATION_FAILED', 'approvedAt must be epoch milliseconds');
  if (
    plan.kind !== 'SUBSCRIPTION' ||
    !Number.isSafeInteger(plan.months) ||
    plan.months < 1 ||
    !isKrw(plan.price)
  ) {
    reject('VALIDATION_FAILED', `plan ${plan.id} does not buy a subscription period`, { planId: plan.id });
  }
  if (state.status === 'NONE') return [purchaseApplied(null, data, data.approvedAt)];
  if (state.purchases[data.orderId]) return []; // already applied (even if since refunded)
  if (state.userId !== data.userId) {
    reject('VALIDATION_FAILED', `order ${data.orderId} is not for this subscription's user`, {
      orderId: data.orderId,
    });
  }
  const at = Math.max(data.approvedAt, state.clock);
  const due = dueTransitions(state, at);
  return [...due.events, purchaseApplied(due.state, data, at)];
}

function purchaseApplied(
  current: Subscribed | null,
  data: ApplyPurchase['data'],
  at: Instant,
): SubscriptionPurchaseApplied {
  const { plan, orderId } = data;
  const snapshot: PlanSnapshot = { planId: plan.id, planName: plan.name, price: plan.price };
  const { effect, runs } = place(current, snapshot, { orderId, months: plan.months }, at);
  const i = runIndexOf(runs, orderId);
  const segment = runSegments(runs, i).find((s) => s.orderId === orderId) ?? { start: at, end: at };
  return {
    type: 'SubscriptionPurchaseApplied',
    data: {
      userId: data.userId,
      orderId,
      ...snapshot,
      months: plan.months,
      approvedAt: toIso(data.approvedAt),
      effectiveAt: toIso(at),
      effect,
      anchor: toIso(runs[i].anchor),
      periodStart: toIso(segment.start),
      periodEnd: toIso(segment.end),
      creditDays: effect === 'UPGRADED' ? creditDays(runs, i) : 0,
    },
  };
}

/** S1-S3: where the purchase goes, with the runs as they will be (for QUEUED, as projected now). */
function place(
  current: Subscribed | null,
  plan: PlanSnapshot,
  part: RunPart,
  at: Instant,
): { effect: PurchaseEffect; runs: Run[] } {
  if (current === null || current.status !== 'ACTIVE') {
    const past = current?.runs ?? [];
    // Bought at the very instant the same plan ended (a late approval): the run is unbroken (S4).
    if (continuesLastRun(past, plan.planId, at))
      return { effect: 'EXTENDED', runs: extendLastRun(past, part) };
    return { effect: 'STARTED', runs: startRun(past, plan, at, part) };
  }
  const active = current.runs[lastIndex(current)];
  if (plan.planId === active.planId) return { effect: 'EXTENDED', runs: extendLastRun(current.runs, part) };
  if (plan.price > active.price)
    return { effect: 'UPGRADED', runs: upgradeLastRun(current.runs, plan, at, part) };
  return { effect: 'QUEUED', runs: projectQueue(current, plan, part) };
}

/** Cheaper or equal: the runs as they will be once the queue, then this purchase, have started. */
function projectQueue(current: Subscribed, plan: PlanSnapshot, part: RunPart): Run[] {
  const waiting = current.queue.map((id) => {
    const queued = purchaseOf(current, id);
    return { plan: planOf(queued), part: { orderId: queued.orderId, months: queued.months } };
  });
  return [...waiting, { plan, part }].reduce<Run[]>(
    (runs, next) => startQueued(runs, next.plan, next.part, naturalEnd(runs, runs.length - 1)),
    [...current.runs],
  );
}

/**
 * F4, effective `now` (or the latest recorded instant, if later): record the transitions due
 * first so "current" means current, then the removal, then who covers from here on.
 */
function removePurchase(orderId: string, state: SubscriptionState, now: Instant): SubscriptionEvent[] {
  if (state.status === 'NONE')
    return reject('SUBSCRIPTION_NOT_FOUND', 'no subscription to remove a purchase from', { orderId });
  const purchase = state.purchases[orderId];
  if (!purchase)
    return reject('NOT_FOUND', `order ${orderId} bought nothing in this subscription`, { orderId });
  if (purchase.removed) return [];
  const at = Math.max(now, state.clock);
  const due = dueTransitions(state, at);
  const effect = classifyRemoval(due.state, orderId, at);
  const after = applyRemoval(due.state, orderId, effect, at);
  const end = after.status === 'ACTIVE' ? naturalEnd(after.runs, lastIndex(after)) : null;
  const covered = end !== null && end > at;
  const removed: SubscriptionEvent = {
    type: 'SubscriptionPurchaseRemoved',
    data: { orderId, at: toIso(at), effect, periodEnd: covered ? toIso(end) : null },
  };
  if (covered || after.status !== 'ACTIVE') return [...due.events, removed];
  const takeover: SubscriptionEvent =
    after.queue.length > 0
      ? queuedStart(after, at)
      : { type: 'SubscriptionRevoked', data: { at: toIso(at), orderId } };
  return [...due.events, removed, takeover];
}
