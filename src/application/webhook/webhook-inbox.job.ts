import { inject, injectable } from 'inversify';
import {
  pgNotificationDecider,
  pgNotificationStreamId,
} from '../../domain/notification/pg-notification.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import type { PaymentSync } from '../payment/payment-sync';
import { PG_NOTICES, type PgNoticeDoc } from './pg-notices.projection';
import { TOKENS } from '../tokens';

const RETRY_MS = 30_000;

/** Acts on webhook hints: re-asks the PG and reconciles, then marks the hints processed. */
@injectable()
export class WebhookInboxJob implements DueJobSource {
  readonly name = 'webhook-inbox';
  private readonly retryAt = new Map<string, number>();

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
  ) {}

  private async pending(): Promise<PgNoticeDoc[]> {
    const page = await this.readModels.query<PgNoticeDoc>(PG_NOTICES, {
      where: { pending: true },
      orderBy: 'receivedAtMs',
      direction: 'asc',
      limit: 500,
    });
    return page.items;
  }

  async nextDueAt(): Promise<number | null> {
    const pending = await this.pending();
    if (pending.length === 0) return null;
    return Math.min(...pending.map((doc) => Math.max(doc.receivedAtMs, this.retryAt.get(doc.orderId) ?? 0)));
  }

  async runDue(now: number): Promise<void> {
    for (const doc of await this.pending()) {
      if ((this.retryAt.get(doc.orderId) ?? 0) > now || doc.receivedAtMs > now) continue;
      this.retryAt.set(doc.orderId, now + RETRY_MS);
      await this.sync.sync(
        doc.orderId,
        doc.provider,
        doc.pgPaymentId,
        `webhook:${doc.orderId}:${doc.received}`,
      );
      await this.repository.handle(
        pgNotificationStreamId(doc.orderId),
        pgNotificationDecider,
        { type: 'MarkNotificationsProcessed', upTo: doc.received },
        systemContext('webhook-inbox', `processed:${doc.orderId}:${doc.received}`),
      );
      this.retryAt.delete(doc.orderId);
    }
  }
}
