import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { SUBSCRIPTION_EXPIRY, type TransitionItem } from './subscription-expiry.pending';

/** S5: records a subscription's queued starts and expiries at the instant they fall due. */
@injectable()
export class SubscriptionExpiry implements ProcessStep<TransitionItem> {
  readonly process = SUBSCRIPTION_EXPIRY;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  async run(item: TransitionItem, now: number): Promise<StepOutcome> {
    await this.singleFlight.run(`subscription:${item.userId}`, () =>
      this.repository.handle(
        subscriptionStreamId(item.userId),
        subscriptionDecider,
        { type: 'AdvanceTime', data: {} },
        systemContext(SUBSCRIPTION_EXPIRY, `advance:${item.userId}:${now}`),
      ),
    );
    return done;
  }
}
