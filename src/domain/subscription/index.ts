export * from './subscription.commands';
export * from './subscription.events';
export { initialState as subscriptionInitialState } from './subscription.state';
export type { Subscribed, SubscriptionState } from './subscription.state';
export { subscriptionDecider, subscriptionStreamId } from './subscription.decider';
export { decide as decideSubscription } from './subscription.decide';
export { evolve as evolveSubscription } from './subscription.evolve';
export { subscriptionView, nextTransitionAt, type SubscriptionView } from './subscription.view';
