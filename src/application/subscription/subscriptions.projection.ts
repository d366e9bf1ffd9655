import {
  evolveSubscription,
  nextTransitionAt,
  subscriptionInitialState,
  type SubscriptionEvent,
  type SubscriptionState,
} from '../../domain/subscription';
import type { Doc } from '../ports/read-model-store.port';
import { streamKind, type Projection } from '../event-sourcing/projection';

export const SUBSCRIPTIONS = 'subscriptions';

export interface SubscriptionDoc extends Doc {
  userId: string;
  state: SubscriptionState;
  /** When the scheduler must next record a transition (queued start, expiry). */
  hasTransition: boolean;
  nextTransitionAtMs: number;
}

/** One document per user: the folded subscription, viewed at read time (S5). */
export const subscriptionsProjection: Projection = {
  name: 'subscriptions',
  collections: [SUBSCRIPTIONS],
  async apply(event, writer) {
    if (streamKind(event.streamId) !== 'subscription') return;
    const userId = event.streamId.slice('subscription-'.length);
    const existing = await writer.get<SubscriptionDoc>(SUBSCRIPTIONS, userId);
    const state = evolveSubscription(existing?.state ?? subscriptionInitialState, {
      type: event.type,
      data: event.data,
    } as SubscriptionEvent);
    const next = nextTransitionAt(state);
    writer.put(SUBSCRIPTIONS, userId, {
      userId,
      state,
      hasTransition: next !== null,
      nextTransitionAtMs: next ?? 0,
    });
  },
};
