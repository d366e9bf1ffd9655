import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import type { ExistingOrder } from '../../domain/order/order.state';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';

/**
 * C9 after an order is paid: open the payment (refunds live there), then extend the
 * subscription. Each step is idempotent (derived command ids; deciders ignore repeats), so the
 * confirm handler runs it at once and the follow-up job re-runs it after a crash.
 */
@injectable()
export class ApprovalFollowUp {
  constructor(@inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository) {}

  /** Returns the global position of the last event written, or null when nothing was due. */
  async run(order: ExistingOrder, causationId: string): Promise<number | null> {
    const paid = order.payment;
    if (order.status !== 'PAID' || !paid) return null;
    const o = order.order;
    const opened = await this.repository.handle(
      paymentStreamId(o.orderId),
      paymentDecider,
      {
        type: 'OpenPayment',
        orderId: o.orderId,
        userId: o.userId,
        planId: o.planId,
        planType: o.planType,
        provider: paid.provider,
        pgPaymentId: paid.pgPaymentId,
        amount: paid.amount,
        approvedAt: paid.approvedAt,
        methodDetail: paid.methodDetail,
      },
      systemContext('approval-follow-up', `open-payment:${o.orderId}`, causationId),
    );
    if (o.planType !== 'SUBSCRIPTION' || o.planMonths === null) return opened.position;
    const applied = await this.repository.handle(
      subscriptionStreamId(o.userId),
      subscriptionDecider,
      {
        type: 'ApplyPurchase',
        data: {
          userId: o.userId,
          orderId: o.orderId,
          plan: {
            kind: 'SUBSCRIPTION',
            id: o.planId,
            code: String(o.planId),
            name: o.planName,
            price: o.amount,
            months: o.planMonths,
          },
          approvedAt: paid.approvedAt,
        },
      },
      systemContext('approval-follow-up', `apply-purchase:${o.orderId}`, causationId),
    );
    return applied.position ?? opened.position;
  }
}
