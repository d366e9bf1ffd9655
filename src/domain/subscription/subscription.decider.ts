import type { Decider } from '../shared/decider';
import type { SubscriptionCommand } from './subscription.commands';
import { decide } from './subscription.decide';
import type { SubscriptionEvent } from './subscription.events';
import { evolve } from './subscription.evolve';
import { initialState, type SubscriptionState } from './subscription.state';

export const subscriptionDecider: Decider<SubscriptionCommand, SubscriptionEvent, SubscriptionState> = {
  initialState,
  decide,
  evolve,
};

export const subscriptionStreamId = (userId: string): string => `subscription-${userId}`;
