import { assertNever } from '../shared/decider';
import { toIso, type Instant } from '../shared/time';
import type { PgNotificationCommand } from './pg-notification.commands';
import type { PgNotificationEvent } from './pg-notification.events';
import type { PgNotificationState } from './pg-notification.state';

export function decidePgNotification(
  command: PgNotificationCommand,
  state: PgNotificationState,
  now: Instant,
): PgNotificationEvent[] {
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
}
