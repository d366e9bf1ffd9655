import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import type { ApprovalFollowUp } from './approval-follow-up.process';
import type { ApprovalVoider } from './approval-voider';
import type { EntitlementRevocation } from '../refund/entitlement-revocation.process';
import { ORDERS, type OrderDoc } from '../order/order-read-model';

const RETRY_MS = 30_000;

/**
 * Finishes what a crash or a PG outage interrupted: the follow-up of a paid order (C9), the
 * PG cancel of a refused approval (C7) and the entitlement change of a full refund (F4). Each
 * step is idempotent.
 */
@injectable()
export class ApprovalRepairJob implements DueJobSource {
  readonly name = 'approval-repair';
  private readonly retryAt = new Map<string, number>();

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.ApprovalFollowUp) private readonly followUp: ApprovalFollowUp,
    @inject(TOKENS.ApprovalVoider) private readonly voider: ApprovalVoider,
    @inject(TOKENS.EntitlementRevocation) private readonly revocation: EntitlementRevocation,
  ) {}

  private async pending(): Promise<OrderDoc[]> {
    const page = (where: Record<string, boolean>) =>
      this.readModels.query<OrderDoc>(ORDERS, {
        where,
        orderBy: 'createdAtMs',
        direction: 'asc',
        limit: 500,
      });
    const [followUps, voids] = await Promise.all([
      page({ awaitingFollowUp: true }),
      page({ awaitingVoid: true }),
    ]);
    return [...followUps.items, ...voids.items];
  }

  async nextDueAt(): Promise<number | null> {
    const pending = await this.pending();
    if (pending.length === 0) return null;
    return Math.min(...pending.map((doc) => this.retryAt.get(doc.orderId) ?? 0));
  }

  async runDue(now: number): Promise<void> {
    for (const doc of await this.pending()) {
      if ((this.retryAt.get(doc.orderId) ?? 0) > now) continue;
      this.retryAt.set(doc.orderId, now + RETRY_MS);
      const causation = `repair:${doc.orderId}`;
      if (doc.awaitingFollowUp) await this.followUp.run(doc.order, causation);
      for (const refused of doc.order.refusedApprovals.filter((r) => !r.cancelled)) {
        await this.voider.void(doc.orderId, refused, systemContext('approval-repair', causation).causationId);
      }
      if (doc.awaitingRevocation) await this.revocation.run(doc.orderId, causation);
    }
  }
}
