export * from './subscription.commands';
export * from './subscription.events';
export { initialState as subscriptionInitialState } from './subscription.state';
export type { Subscribed, SubscriptionState } from './subscription.state';
export {
  subscriptionDecider,
  subscriptionStreamId,
  decide as decideSubscription,
} from './subscription.decider';
export { evolve as evolveSubscription } from './subscription.evolve';
export { subscriptionView, nextTransitionAt, type SubscriptionView } from './subscription.view';
