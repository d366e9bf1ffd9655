import { inject, injectable } from 'inversify';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import type { RefundExecutor } from './refund-executor';
import { TOKENS } from '../tokens';
import { nextCheckAt } from '../jobs/reconcile-schedule';

/** F3/C6 for refunds: settles refunds whose PG outcome is unknown (or interrupted) on a backoff schedule. */
@injectable()
export class RefundReconcilerJob implements DueJobSource {
  readonly name = 'refund-reconciler';
  private readonly lastChecked = new Map<string, number>();

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.RefundExecutor) private readonly executor: RefundExecutor,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  private async pending(): Promise<Array<{ orderId: string; refundId: string; dueAt: number }>> {
    const page = await this.readModels.query<OrderDoc>(ORDERS, {
      where: { awaitingRefund: true },
      orderBy: 'refundSinceMs',
      direction: 'asc',
      limit: 1_000,
    });
    return page.items.flatMap((doc) =>
      doc.payment.status === 'NONE'
        ? []
        : doc.payment.refunds
            .filter((r) => r.status === 'PENDING')
            .map((r) => ({
              orderId: doc.orderId,
              refundId: r.refundId,
              dueAt: nextCheckAt(r.requestedAt, this.lastChecked.get(r.refundId)),
            })),
    );
  }

  async nextDueAt(): Promise<number | null> {
    const pending = await this.pending();
    return pending.length === 0 ? null : Math.min(...pending.map((p) => p.dueAt));
  }

  async runDue(now: number): Promise<void> {
    for (const { orderId, refundId, dueAt } of await this.pending()) {
      if (dueAt > now || this.singleFlight.isRunning(`payment:${orderId}`)) continue;
      this.lastChecked.set(refundId, now);
      const context = systemContext('refund-reconciler', `reconcile-refund:${refundId}:${now}`);
      await this.singleFlight.run(`payment:${orderId}`, () =>
        this.executor.execute(orderId, refundId, true, context),
      );
    }
  }
}
