import { inject, injectable } from 'inversify';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { paymentStatus } from '../../domain/payment/payment.state';
import { DomainError } from '../../domain/shared/domain-error';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, failed, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { TOKENS } from '../tokens';
import { ENTITLEMENT_REMOVAL, type RemovalItem } from './entitlement-removal.pending';

/**
 * F4: a full refund of a subscription payment removes the period it bought (an elapsed one is
 * history and changes nothing current). Partial refunds change no entitlement; EVENT refunds
 * reach the fund through its projection.
 */
@injectable()
export class EntitlementRemoval implements ProcessStep<RemovalItem> {
  readonly process = ENTITLEMENT_REMOVAL;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  async run(item: RemovalItem): Promise<StepOutcome> {
    const removed = await this.remove(item.orderId, `remove-purchase:${item.orderId}`);
    return removed === 'WAITING' ? failed('the purchase is not applied to the subscription yet') : done;
  }

  /**
   * The removal, right after the refund that made it due, so the caller's next read shows it.
   * A failure here changes nothing owed: the process finishes it. Returns the position written.
   */
  async tryNow(orderId: string, causationId: string): Promise<number | null> {
    try {
      const removed = await this.remove(orderId, causationId);
      return typeof removed === 'number' ? removed : null;
    } catch {
      return null;
    }
  }

  private async remove(orderId: string, causationId: string): Promise<number | null | 'WAITING'> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    if (state.status === 'NONE' || state.planType !== 'SUBSCRIPTION' || paymentStatus(state) !== 'REFUNDED')
      return null;
    try {
      const removed = await this.singleFlight.run(`subscription:${state.userId}`, () =>
        this.repository.handle(
          subscriptionStreamId(state.userId),
          subscriptionDecider,
          { type: 'RemovePurchase', data: { orderId } },
          systemContext(ENTITLEMENT_REMOVAL, `remove-purchase:${orderId}`, causationId),
        ),
      );
      return removed.position;
    } catch (error) {
      // The purchase is not applied yet (its follow-up is owed): come back after it.
      if (
        error instanceof DomainError &&
        (error.code === 'NOT_FOUND' || error.code === 'SUBSCRIPTION_NOT_FOUND')
      )
        return 'WAITING';
      throw error;
    }
  }
}
