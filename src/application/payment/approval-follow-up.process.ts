import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { ExistingOrder } from '../../domain/order/order.state';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { APPROVAL_FOLLOW_UP, type FollowUpItem } from './approval-follow-up.pending';

/**
 * C9 after an order is paid: open the payment (refunds live there), then extend the
 * subscription. Each step is idempotent (derived command ids; deciders ignore repeats), so the
 * confirm runs it at once and the job finishes it after a crash, exactly once.
 */
@injectable()
export class ApprovalFollowUp implements ProcessStep<FollowUpItem> {
  readonly process = APPROVAL_FOLLOW_UP;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  /** The job's step: whatever of the follow-up is still missing. */
  async run(item: FollowUpItem): Promise<StepOutcome> {
    const { state } = await this.repository.load(orderStreamId(item.orderId), orderDecider);
    if (state.status === 'PAID') await this.complete(state, `follow-up:${item.orderId}`);
    return done;
  }

  /** Returns the global position of the last event written, or null when nothing was due. */
  async complete(order: ExistingOrder, causationId: string): Promise<number | null> {
    if (order.status !== 'PAID') return null;
    const paid = order.payment;
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
      systemContext(APPROVAL_FOLLOW_UP, `open-payment:${o.orderId}`, causationId),
    );
    if (o.planType !== 'SUBSCRIPTION' || o.planMonths === null) return opened.position;
    const months = o.planMonths;
    // One writer per subscription in this process: a user's concurrent purchases and refunds
    // would otherwise exhaust the stream's optimistic retries.
    const applied = await this.singleFlight.run(`subscription:${o.userId}`, () =>
      this.repository.handle(
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
              months,
            },
            approvedAt: paid.approvedAt,
          },
        },
        systemContext(APPROVAL_FOLLOW_UP, `apply-purchase:${o.orderId}`, causationId),
      ),
    );
    return applied.position ?? opened.position;
  }
}
