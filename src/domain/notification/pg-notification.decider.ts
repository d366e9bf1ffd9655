import type { Provider } from '../shared/provider';
import type { Decider, DomainEvent } from '../shared/decider';
import { assertNever } from '../shared/decider';
import { toIso } from '../shared/time';

/**
 * A PG's webhook about an order: only a hint that the PG's view changed. It is recorded before
 * the 200 goes back, so the work of re-asking the PG survives a crash.
 */
export type PgNotificationReceived = DomainEvent<
  'PgNotificationReceived',
  {
    provider: Provider;
    orderId: string;
    pgPaymentId: string | null;
    eventType: string;
    status: string | null;
    deliveryId: string;
    receivedAt: string;
  }
>;
export type PgNotificationsProcessed = DomainEvent<'PgNotificationsProcessed', { upTo: number; at: string }>;
export type PgNotificationEvent = PgNotificationReceived | PgNotificationsProcessed;

/** How many recent delivery ids a stream remembers to record a redelivered webhook once. */
export const RECENT_DELIVERIES = 32;

export interface PgNotificationState {
  /** The last RECENT_DELIVERIES delivery ids recorded, oldest first: bounded, however many arrive. */
  recentDeliveries: string[];
  received: number;
  processed: number;
}

export type ReceiveNotification = { type: 'ReceiveNotification' } & Omit<
  PgNotificationReceived['data'],
  'receivedAt'
>;
export type MarkNotificationsProcessed = { type: 'MarkNotificationsProcessed'; upTo: number };

export const pgNotificationDecider: Decider<
  ReceiveNotification | MarkNotificationsProcessed,
  PgNotificationEvent,
  PgNotificationState
> = {
  initialState: { recentDeliveries: [], received: 0, processed: 0 },
  decide(command, state, now) {
    switch (command.type) {
      case 'ReceiveNotification': {
        // A redelivery of the same webhook is recorded once.
        if (state.recentDeliveries.includes(command.deliveryId)) return [];
        // Hints coalesce: a pending one already makes the inbox re-ask the PG, whose answer is
        // its latest state, so a flood of hints for one order appends one event, not a flood.
        if (state.received > state.processed) return [];
        const { type: _type, ...data } = command;
        return [{ type: 'PgNotificationReceived', data: { ...data, receivedAt: toIso(now) } }];
      }
      case 'MarkNotificationsProcessed':
        return command.upTo > state.processed
          ? [{ type: 'PgNotificationsProcessed', data: { upTo: command.upTo, at: toIso(now) } }]
          : [];
      default:
        return assertNever(command);
    }
  },
  evolve(state, event) {
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
  },
};

export const pgNotificationStreamId = (orderId: string): string => `pgnotice-${orderId}`;
