import type { Decider } from '../shared/decider';
import type { PgNotificationCommand } from './pg-notification.commands';
import { decidePgNotification } from './pg-notification.decide';
import type { PgNotificationEvent } from './pg-notification.events';
import { evolvePgNotification, initialPgNotificationState } from './pg-notification.evolve';
import type { PgNotificationState } from './pg-notification.state';

export type * from './pg-notification.commands';
export type * from './pg-notification.events';
export { RECENT_DELIVERIES, type PgNotificationState } from './pg-notification.state';

export const pgNotificationDecider: Decider<PgNotificationCommand, PgNotificationEvent, PgNotificationState> =
  {
    initialState: initialPgNotificationState,
    decide: decidePgNotification,
    evolve: evolvePgNotification,
  };

export const pgNotificationStreamId = (orderId: string): string => `pgnotice-${orderId}`;
