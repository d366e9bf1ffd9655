import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { unsettledAttempt, type Attempt } from '../../domain/order/order.state';
import { systemContext } from '../event-sourcing/command-context';
import type { DueJobSource } from '../ports/due-job-source.port';
import type { PgPayment, PgResult } from '../ports/payment-gateway.port';
import type { ReadModelStore } from '../ports/read-model-store.port';
import type { PaymentGateways } from './payment-gateways';
import type { PgOutcomeRecorder } from './pg-outcome.recorder';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { ORDERS, type OrderDoc } from '../order/order-read-model';
import { nextCheckAt } from '../jobs/reconcile-schedule';

/**
 * After this long without the PG knowing the payment, it never will: Toss drops an
 * unconfirmed authentication after 10 minutes; PortOne payments exist from the window on.
 */
export const PG_GIVE_UP_MS = 15 * 60_000;

/** C6: asks the PG about attempts whose outcome is unknown, on a backoff schedule, until it knows. */
@injectable()
export class ConfirmationReconcilerJob implements DueJobSource {
  readonly name = 'confirmation-reconciler';
  private readonly lastChecked = new Map<string, number>();

  constructor(
    @inject(TOKENS.ReadModelStore) private readonly readModels: ReadModelStore,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PgOutcomeRecorder) private readonly recorder: PgOutcomeRecorder,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  private async held(): Promise<Array<{ doc: OrderDoc; attempt: Attempt; dueAt: number }>> {
    const docs = await this.readModels.query<OrderDoc>(ORDERS, {
      where: { held: true },
      orderBy: 'heldSinceMs',
      direction: 'asc',
      limit: 1_000,
    });
    const result = [];
    for (const doc of docs.items) {
      const attempt = unsettledAttempt(doc.order);
      if (!attempt) continue;
      const key = `${doc.orderId}:${attempt.attempt}`;
      result.push({ doc, attempt, dueAt: nextCheckAt(attempt.startedAt, this.lastChecked.get(key)) });
    }
    return result;
  }

  async nextDueAt(): Promise<number | null> {
    const held = await this.held();
    return held.length === 0 ? null : Math.min(...held.map((h) => h.dueAt));
  }

  async runDue(now: number): Promise<void> {
    for (const { doc, attempt, dueAt } of await this.held()) {
      if (dueAt > now) continue;
      // The confirm handler of this process is still waiting on the PG: leave it to finish.
      if (this.singleFlight.isRunning(`order:${doc.orderId}`)) continue;
      this.lastChecked.set(`${doc.orderId}:${attempt.attempt}`, now);
      await this.singleFlight.run(`order:${doc.orderId}`, () => this.reconcile(doc.orderId, attempt, now));
    }
  }

  private async lookup(orderId: string, attempt: Attempt): Promise<PgResult<PgPayment | null>> {
    const gateway = this.gateways.get(attempt.provider);
    const byOrder = await gateway.findByOrderId(orderId);
    if (byOrder.kind === 'ok' && byOrder.value?.pgPaymentId === attempt.pgPaymentId) return byOrder;
    return gateway.getPayment(attempt.pgPaymentId);
  }

  private async reconcile(orderId: string, attempt: Attempt, now: number): Promise<void> {
    const context = systemContext('reconciler', `reconcile:${orderId}:${attempt.attempt}:${now}`);
    const found = await this.lookup(orderId, attempt);
    if (found.kind !== 'ok') return;
    if (found.value) {
      await this.recorder.record(orderId, attempt.attempt, found.value, context);
      return;
    }
    if (now - attempt.startedAt >= PG_GIVE_UP_MS) {
      await this.recorder.reject(
        orderId,
        attempt.attempt,
        'PG_PAYMENT_NOT_FOUND',
        'the PG never received this payment',
        context,
      );
    }
  }
}
