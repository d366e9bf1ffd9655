import { assertNever } from '../shared/decider';
import type { PgNotificationEvent } from './pg-notification.events';
import { RECENT_DELIVERIES, type PgNotificationState } from './pg-notification.state';

export const initialPgNotificationState: PgNotificationState = {
  recentDeliveries: [],
  received: 0,
  processed: 0,
};

export function evolvePgNotification(
  state: PgNotificationState,
  event: PgNotificationEvent,
): PgNotificationState {
  switch (event.type) {
    case 'PgNotificationReceived':
      return {
        ...state,
        recentDeliveries: [...state.recentDeliveries, event.data.deliveryId].slice(-RECENT_DELIVERIES),
        received: state.received + 1,
      };
    case 'PgNotificationsProcessed':
      return { ...state, processed: Math.max(state.processed, event.data.upTo) };
    default:
      return assertNever(event);
  }
}
