import { inject, injectable } from 'inversify';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { paymentStatus } from '../../domain/payment/payment.state';
import { DomainError } from '../../domain/shared/domain-error';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import { TOKENS } from '../tokens';

/**
 * F4: a full refund of a subscription payment removes the period it bought. Partial refunds
 * change no entitlement; EVENT refunds reach the fund through its projection.
 */
@injectable()
export class EntitlementRevocation {
  constructor(@inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository) {}

  /** Returns the position written, or null when nothing was due (or it must wait for the purchase). */
  async run(orderId: string, causationId: string): Promise<number | null> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    if (state.status === 'NONE' || state.planType !== 'SUBSCRIPTION' || paymentStatus(state) !== 'REFUNDED')
      return null;
    try {
      const removed = await this.repository.handle(
        subscriptionStreamId(state.userId),
        subscriptionDecider,
        { type: 'RemovePurchase', data: { orderId } },
        systemContext('entitlement-revocation', `remove-purchase:${orderId}`, causationId),
      );
      return removed.position;
    } catch (error) {
      // The purchase is not applied yet (its follow-up is pending): the repair job comes back.
      if (
        error instanceof DomainError &&
        (error.code === 'NOT_FOUND' || error.code === 'SUBSCRIPTION_NOT_FOUND')
      )
        return null;
      throw error;
    }
  }
}
