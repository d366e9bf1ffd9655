import type { DomainEvent } from '../shared/decider';
import type { Provider } from '../shared/provider';

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
