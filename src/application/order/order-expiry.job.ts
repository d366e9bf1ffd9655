import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelQuery, ReadModelStore } from '../ports/read-model-store.port';
import { ORDERS, type OrderDoc } from './order-read-model';

const PAGE = 100;

/** O3: records the expiry of pending orders whose outcome is not awaited. */
@injectable()
export class OrderExpiryJob implements DueJobSource {
  readonly name = 'order-expiry';

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    /** Brings the read models up to date with what was just appended. */
    @inject(TOKENS.CatchUp) private readonly catchUp: () => Promise<void>,
  ) {}

  private query(limit: number): ReadModelQuery {
    return { where: { status: 'PENDING', held: false }, orderBy: 'expiresAtMs', direction: 'asc', limit };
  }

  async nextDueAt(): Promise<number | null> {
    const { items } = await this.readModels.query<OrderDoc>(ORDERS, this.query(1));
    return items[0]?.expiresAtMs ?? null;
  }

  async runDue(now: number): Promise<void> {
    for (;;) {
      const { items } = await this.readModels.query<OrderDoc>(ORDERS, this.query(PAGE));
      const due = items.filter((doc) => doc.expiresAtMs <= now);
      for (const doc of due) {
        await this.repository.handle(
          orderStreamId(doc.orderId),
          orderDecider,
          { type: 'ExpireOrder' },
          systemContext('order-expiry', `expire:${doc.orderId}`),
        );
      }
      if (due.length < PAGE) return;
      await this.catchUp();
    }
  }
}
