import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';
import { SUBSCRIPTIONS, type SubscriptionDoc } from './subscriptions.projection';

export const SUBSCRIPTION_EXPIRY = 'subscription-expiry';

export interface TransitionItem extends PendingWork {
  userId: string;
}

/**
 * S5's owed work: each subscription's next transition (a queued start, an expiry), due at its
 * instant. Reads the subscription as its projection folded it in this same batch (that runs first).
 */
export const subscriptionExpiryPending = pendingWorkProjection<TransitionItem>(
  SUBSCRIPTION_EXPIRY,
  async (event, pending) => {
    if (!event.streamId.startsWith('subscription-')) return;
    const userId = event.streamId.slice('subscription-'.length);
    const doc = await pending.read<SubscriptionDoc>(SUBSCRIPTIONS, userId);
    if (!doc?.hasTransition) {
      pending.drop(userId);
      return;
    }
    const at = doc.nextTransitionAtMs;
    await pending.put({ id: userId, userId, owed: true, sinceMs: at, dueAtMs: at });
  },
);
