import { inject, injectable } from 'inversify';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../domain/notification/pg-notification.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import { done, failed, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import type { PaymentSync } from '../payment/payment-sync';
import { TOKENS } from '../tokens';
import { WEBHOOK_INBOX, type HintItem } from './webhook-inbox.pending';

/**
 * Acts on webhook hints: re-asks the PG and reconciles, then marks the hints processed. A hint
 * whose re-query fails stays owed and is retried on the backoff (P3): no hint is lost.
 */
@injectable()
export class WebhookInboxProcess implements ProcessStep<HintItem> {
  readonly process = WEBHOOK_INBOX;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
  ) {}

  async run(item: HintItem): Promise<StepOutcome> {
    const synced = await this.sync.sync(
      item.orderId,
      item.provider,
      item.pgPaymentId,
      `webhook:${item.orderId}:${item.received}`,
    );
    if (!synced) return failed('the PG could not be re-queried, or a refund of ours is still unsettled');
    await this.repository.handle(
      pgNotificationStreamId(item.orderId),
      pgNotificationDecider,
      { type: 'MarkNotificationsProcessed', upTo: item.received },
      systemContext(WEBHOOK_INBOX, `processed:${item.orderId}:${item.received}`),
    );
    return done;
  }
}
