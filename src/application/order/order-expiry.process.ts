import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import { done, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { ORDER_EXPIRY, type ExpiryItem } from './order-expiry.pending';

/** O3: records the expiry of a pending order at its instant, once no attempt's outcome is awaited. */
@injectable()
export class OrderExpiry implements ProcessStep<ExpiryItem> {
  readonly process = ORDER_EXPIRY;

  constructor(@inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository) {}

  async run(item: ExpiryItem): Promise<StepOutcome> {
    await this.repository.handle(
      orderStreamId(item.orderId),
      orderDecider,
      { type: 'ExpireOrder' },
      systemContext(ORDER_EXPIRY, `expire:${item.orderId}`),
    );
    return done;
  }
}
