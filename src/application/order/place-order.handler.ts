import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { ExistingOrder } from '../../domain/order/order.state';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import type { Actor } from '../ports/event-store.port';
import type { IdGenerator } from '../ports/id-generator.port';
import type { PlanCatalog } from './plan-catalog';

export interface PlaceOrder {
  requestId: string;
  /**
   * The id of the request that carries the command (X-Request-Id): the events' correlationId.
   * It may come from the caller, so unlike requestId it need not be unique; defaults to requestId.
   */
  correlationId?: string;
  userId: string;
  actor: Actor;
  planId: number;
  amount?: number;
}

/** O1/O2/O3: the server makes the order id, sets the amount from the plan and the expiry. */
@injectable()
export class PlaceOrderHandler {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PlanCatalog) private readonly catalog: PlanCatalog,
    @inject(TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(TOKENS.OrderTtlMs) private readonly orderTtlMs: number,
  ) {}

  async handle(command: PlaceOrder): Promise<{ order: ExistingOrder; position: number | null }> {
    const plan = this.catalog.get(command.planId);
    const orderId = this.ids.orderId();
    const handled = await this.repository.handle(
      orderStreamId(orderId),
      orderDecider,
      {
        type: 'PlaceOrder',
        orderId,
        userId: command.userId,
        plan,
        amount: command.amount,
        ttlMs: this.orderTtlMs,
      },
      {
        commandId: `${command.requestId}:place`,
        correlationId: command.correlationId ?? command.requestId,
        causationId: command.requestId,
        actor: command.actor,
      },
    );
    if (handled.state.status === 'NONE') throw new Error('unreachable: order not placed');
    return { order: handled.state, position: handled.position };
  }
}
