import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import { attemptOf, type Attempt } from '../../domain/order/order.state';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext } from '../event-sourcing/command-context';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { done, failed, waitUntil, type ProcessStep, type StepOutcome } from '../jobs/process-job';
import { nextCheckAt } from '../jobs/reconcile-schedule';
import type { PgPayment, PgResult } from '../ports/payment-gateway.port';
import { CONFIRMATION_RECONCILER, type AttemptItem } from './confirmation-reconciler.pending';
import type { PaymentGateways } from './payment-gateways';
import type { PgOutcomeRecorder } from './pg-outcome.recorder';

/**
 * After this long without the PG knowing the payment, it never will: Toss drops an
 * unconfirmed authentication after 10 minutes; PortOne payments exist from the window on.
 */
export const PG_GIVE_UP_MS = 15 * 60_000;
/**
 * C6's deadline: a PG payment still waiting (an abandoned window, an unpaid virtual account)
 * this long after the order's expiry counts as not approved; the order then expires, and an
 * approval that comes later is cancelled (C7).
 */
export const AWAITING_GRACE_MS = 60 * 60_000;

/** C6: asks the PG about an attempt whose outcome is unknown, on a backoff schedule, until it knows. */
@injectable()
export class ConfirmationReconciler implements ProcessStep<AttemptItem> {
  readonly process = CONFIRMATION_RECONCILER;

  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PgOutcomeRecorder) private readonly recorder: PgOutcomeRecorder,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  run(item: AttemptItem, now: number): Promise<StepOutcome> {
    // One at a time with the confirm of this order (which may still be waiting on the PG).
    return this.singleFlight.run(`order:${item.orderId}`, () => this.reconcile(item, now));
  }

  private async reconcile(item: AttemptItem, now: number): Promise<StepOutcome> {
    const { state } = await this.repository.load(orderStreamId(item.orderId), orderDecider);
    if (state.status === 'NONE') return done;
    const attempt = attemptOf(state, item.attempt);
    if (!attempt || (attempt.status !== 'IN_FLIGHT' && attempt.status !== 'UNKNOWN')) return done;
    const context = systemContext(this.process, `reconcile:${item.orderId}:${item.attempt}:${now}`);
    const found = await this.lookup(item.orderId, attempt);
    if (found.kind !== 'ok') {
      return failed(found.kind === 'unknown' ? found.reason : `${found.code} ${found.message}`);
    }
    const deadline = state.order.expiresAt + AWAITING_GRACE_MS;
    const pastDeadline = now >= deadline;
    if (found.value && found.value.status !== 'AWAITING') {
      const recorded = await this.recorder.record(item.orderId, attempt.attempt, found.value, context);
      const settled = attemptOf(recorded.state, attempt.attempt);
      return settled?.status === 'IN_FLIGHT' || settled?.status === 'UNKNOWN'
        ? waitUntil(nextCheckAt(attempt.startedAt, now))
        : done;
    }
    if (found.value && !pastDeadline) {
      // Still waiting at the PG (READY, a virtual account not paid yet): record that, ask again later.
      await this.recorder.record(item.orderId, attempt.attempt, found.value, context);
      // The deadline is a check of its own: the hourly schedule could pass it by up to an hour.
      return waitUntil(Math.min(nextCheckAt(attempt.startedAt, now), deadline));
    }
    if (found.value || now - attempt.startedAt >= PG_GIVE_UP_MS) {
      await this.recorder.reject(
        item.orderId,
        attempt.attempt,
        found.value ? 'PG_PAYMENT_NOT_COMPLETED' : 'PG_PAYMENT_NOT_FOUND',
        found.value
          ? `the PG still reports ${found.value.pgStatus} past the order's expiry and its grace`
          : 'the PG never received this payment',
        context,
      );
      return done;
    }
    return waitUntil(nextCheckAt(attempt.startedAt, now));
  }

  private async lookup(orderId: string, attempt: Attempt): Promise<PgResult<PgPayment | null>> {
    const gateway = this.gateways.get(attempt.provider);
    const byOrder = await gateway.findByOrderId(orderId);
    if (byOrder.kind === 'ok' && byOrder.value?.pgPaymentId === attempt.pgPaymentId) return byOrder;
    return gateway.getPayment(attempt.pgPaymentId);
  }
}
