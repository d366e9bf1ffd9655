import { toIso, type Instant } from '../shared/time';
import type { QueuedPeriodStarted, SubscriptionEvent } from './subscription.events';
import { evolveSubscribed } from './subscription.evolve';
import { lastIndex, planOf, purchaseOf, type Subscribed } from './subscription.state';
import { naturalEnd, startQueued } from './subscription.timeline';

/**
 * Time passing: every queued start and expiry due at or before `until`, in order, each at its
 * own exact instant (the end of the period before it), with the state they lead to.
 */
export function dueTransitions(
  state: Subscribed,
  until: Instant,
): { events: SubscriptionEvent[]; state: Subscribed } {
  const events: SubscriptionEvent[] = [];
  let current = state;
  while (current.status === 'ACTIVE') {
    const end = naturalEnd(current.runs, lastIndex(current));
    if (end > until) break;
    const event: SubscriptionEvent =
      current.queue.length > 0
        ? queuedStart(current, end)
        : { type: 'SubscriptionExpired', data: { at: toIso(end) } };
    events.push(event);
    current = evolveSubscribed(current, event);
  }
  return { events, state: current };
}

/** The first queued purchase takes over at `start` (a period end, or the instant of a removal). */
export function queuedStart(state: Subscribed, start: Instant): QueuedPeriodStarted {
  const purchase = purchaseOf(state, state.queue[0]);
  const runs = startQueued(
    state.runs,
    planOf(purchase),
    { orderId: purchase.orderId, months: purchase.months },
    start,
  );
  const last = runs.length - 1;
  return {
    type: 'QueuedPeriodStarted',
    data: {
      orderId: purchase.orderId,
      planId: purchase.planId,
      planName: purchase.planName,
      start: toIso(start),
      end: toIso(naturalEnd(runs, last)),
      anchor: toIso(runs[last].anchor),
    },
  };
}
