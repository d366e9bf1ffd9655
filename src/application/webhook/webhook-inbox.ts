import { inject, injectable } from 'inversify';
import { createHash } from 'node:crypto';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../domain/notification/pg-notification.decider';
import type { Provider } from '../../domain/order/order.events';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { canonicalJson } from '../event-sourcing/canonical-json';
import { TOKENS } from '../tokens';

export interface WebhookHint {
  provider: Provider;
  orderId: string;
  pgPaymentId: string | null;
  eventType: string;
  status: string | null;
  /** The PG's delivery id when it sends one (Toss's transmission id), else the body's hash. */
  deliveryId: string | null;
  body: unknown;
}

/** Records a webhook durably, before it is answered; the inbox job does the work. */
@injectable()
export class WebhookInbox {
  constructor(@inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository) {}

  async receive(hint: WebhookHint): Promise<number | null> {
    const deliveryId = hint.deliveryId ?? createHash('sha256').update(canonicalJson(hint.body)).digest('hex');
    const handled = await this.repository.handle(
      pgNotificationStreamId(hint.orderId),
      pgNotificationDecider,
      {
        type: 'ReceiveNotification',
        provider: hint.provider,
        orderId: hint.orderId,
        pgPaymentId: hint.pgPaymentId,
        eventType: hint.eventType,
        status: hint.status,
        deliveryId,
      },
      {
        commandId: `webhook:${hint.provider}:${deliveryId}`,
        correlationId: deliveryId,
        causationId: deliveryId,
        actor: { kind: 'system', process: `${hint.provider}-webhook` },
      },
    );
    return handled.position;
  }
}
