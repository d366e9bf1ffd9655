import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { subscriptionDecider, subscriptionStreamId } from '../../domain/subscription';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelQuery, ReadModelStore } from '../ports/read-model-store.port';
import { SUBSCRIPTIONS, type SubscriptionDoc } from './subscriptions.projection';

const PAGE = 100;

/** S5: records queued starts and expiries at the instant they fall due. */
@injectable()
export class SubscriptionExpiryJob implements DueJobSource {
  readonly name = 'subscription-expiry';

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.CatchUp) private readonly catchUp: () => Promise<void>,
  ) {}

  private query(limit: number): ReadModelQuery {
    return { where: { hasTransition: true }, orderBy: 'nextTransitionAtMs', direction: 'asc', limit };
  }

  async nextDueAt(): Promise<number | null> {
    const { items } = await this.readModels.query<SubscriptionDoc>(SUBSCRIPTIONS, this.query(1));
    return items[0]?.nextTransitionAtMs ?? null;
  }

  async runDue(now: number): Promise<void> {
    for (;;) {
      const { items } = await this.readModels.query<SubscriptionDoc>(SUBSCRIPTIONS, this.query(PAGE));
      const due = items.filter((doc) => doc.nextTransitionAtMs <= now);
      for (const doc of due) {
        await this.repository.handle(
          subscriptionStreamId(doc.userId),
          subscriptionDecider,
          { type: 'AdvanceTime', data: {} },
          systemContext('subscription-expiry', `advance:${doc.userId}:${now}`),
        );
      }
      if (due.length < PAGE) return;
      await this.catchUp();
    }
  }
}
