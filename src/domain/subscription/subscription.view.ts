import type { Instant, IsoTime } from '../shared/time';
import { toIso } from '../shared/time';
import { lastIndex, purchaseOf, type Subscribed, type SubscriptionState } from './subscription.state';
import { naturalEnd, runSegments } from './subscription.timeline';
import { dueTransitions } from './subscription.transitions';

export interface SubscriptionView {
  userId: string;
  status: 'ACTIVE' | 'EXPIRED' | 'REVOKED';
  planId: number;
  planName: string;
  /** Start of the current (or last) run: the anchor its months count from. */
  periodStart: IsoTime;
  /** End of the current period; when not ACTIVE, the instant it stopped (expiry or revocation). */
  periodEnd: IsoTime;
  /** Each purchase's segment in order; refunded (removed) purchases are left out. */
  periods: Array<{ planId: number; planName: string; orderId: string; start: IsoTime; end: IsoTime }>;
  queued: Array<{ planId: number; planName: string; orderId: string; months: number }>;
}

/**
 * The subscription as of `now`. Due transitions are applied virtually, so from the end instant
 * on (S5) an ended period reads EXPIRED even before the scheduler has recorded it.
 */
export function subscriptionView(state: SubscriptionState, now: Instant): SubscriptionView | null {
  if (state.status === 'NONE') return null;
  const s = dueTransitions(state, now).state;
  const last = s.runs[lastIndex(s)];
  const end = s.status === 'ACTIVE' || s.endedAt === null ? naturalEnd(s.runs, lastIndex(s)) : s.endedAt;
  return {
    userId: s.userId,
    status: s.status,
    planId: last.planId,
    planName: last.planName,
    periodStart: toIso(last.anchor),
    periodEnd: toIso(end),
    periods: periodsOf(s),
    queued: s.queue.map((id) => {
      const p = purchaseOf(s, id);
      return { planId: p.planId, planName: p.planName, orderId: p.orderId, months: p.months };
    }),
  };
}

function periodsOf(s: Subscribed): SubscriptionView['periods'] {
  return s.runs.flatMap((run, i) =>
    runSegments(s.runs, i)
      .filter((segment) => !purchaseOf(s, segment.orderId).removed)
      .map((segment) => ({
        planId: run.planId,
        planName: run.planName,
        orderId: segment.orderId,
        start: toIso(segment.start),
        end: toIso(segment.end),
      })),
  );
}

/** When the scheduler should next look: the end of the current period, null when none is running. */
export function nextTransitionAt(state: SubscriptionState): Instant | null {
  if (state.status !== 'ACTIVE') return null;
  return naturalEnd(state.runs, lastIndex(state));
}
