import { inject, injectable } from 'inversify';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../domain/notification/pg-notification.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import { done, failed, waitUntil, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import type { PaymentSync } from '../payment/payment-sync';
import { TOKENS } from '../tokens';
import type { WebhookInbox } from './webhook-inbox';
import { WEBHOOK_INBOX, type HintItem } from './webhook-inbox.pending';

/**
 * How long a hint waits for a refund of ours to settle before it looks again: as long as it has
 * waited already (at least a minute, at most six hours), so a refund that stays pending for days
 * (parked) costs a handful of looks, not one a minute.
 */
const MIN_REFUND_WAIT_MS = 60_000;
const MAX_REFUND_WAIT_MS = 6 * 3_600_000;
const refundWait = (item: HintItem, now: number): number =>
  Math.min(MAX_REFUND_WAIT_MS, Math.max(MIN_REFUND_WAIT_MS, now - item.sinceMs));

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
    @inject(TOKENS.WebhookInbox) private readonly inbox: WebhookInbox,
  ) {}

  async run(item: HintItem, now: number): Promise<StepOutcome> {
    const coalescedBefore = this.inbox.coalescedCount(item.orderId);
    const synced = await this.sync.sync(
      item.orderId,
      item.provider,
      item.pgPaymentId,
      `webhook:${item.orderId}:${item.received}`,
    );
    if (synced === 'pg-unreachable') return failed('the PG could not be re-queried');
    // Waiting on the refund-execution process, which is not a failure of this one.
    if (synced === 'refund-pending') return waitUntil(now + refundWait(item, now));
    await this.repository.handle(
      pgNotificationStreamId(item.orderId),
      pgNotificationDecider,
      { type: 'MarkNotificationsProcessed', upTo: item.received },
      systemContext(WEBHOOK_INBOX, `processed:${item.orderId}:${item.received}`),
    );
    if (this.inbox.coalescedCount(item.orderId) === coalescedBefore) {
      this.inbox.forget(item.orderId);
    } else {
      // A hint came in while the PG was being asked: it may tell of a later change, so it is owed.
      await this.inbox.receive({
        provider: item.provider,
        orderId: item.orderId,
        pgPaymentId: item.pgPaymentId,
        eventType: 'COALESCED_DURING_SYNC',
        status: null,
        deliveryId: `coalesced:${item.orderId}:${item.received}`,
        body: null,
      });
    }
    return done;
  }
}
