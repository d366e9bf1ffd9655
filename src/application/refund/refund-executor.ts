import { inject, injectable } from 'inversify';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import {
  findRefund,
  refundedAmount,
  type ExistingPayment,
  type Refund,
} from '../../domain/payment/payment.state';
import { fromIso } from '../../domain/shared/time';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import type { CommandContext } from '../event-sourcing/command-context';
import type { PgPayment } from '../ports/payment-gateway.port';
import type { PaymentGateways } from '../payment/payment-gateways';
import { TOKENS } from '../tokens';

export type RefundOutcome = { status: 'COMPLETED' | 'REJECTED' | 'PENDING'; position: number | null };

/** The PG's cancel that is this refund: the one carrying the refund's own key, never one of its amount. */
const ownCancel = (pg: PgPayment, refund: Refund) =>
  refund.idempotencyKey === null ? undefined : pg.cancels.find((c) => c.requestKey === refund.idempotencyKey);

/**
 * F3: makes the PG cancel call of a recorded refund and records what came of it. Callers
 * serialise work per payment. Sending again is always safe: Toss answers a repeat of the key
 * with the first answer, and PortOne's checksum (our balance, which still counts this refund
 * as unpaid) no longer matches once the first went through. A refund is completed only by the
 * cancel that carries its key; cancels made elsewhere are recorded as refunds of their own.
 */
@injectable()
export class RefundExecutor {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
  ) {}

  async execute(
    orderId: string,
    refundId: string,
    triedBefore: boolean,
    context: CommandContext,
  ): Promise<RefundOutcome> {
    let state = await this.load(orderId);
    const refund = findRefund(state, refundId);
    if (!refund) throw new Error(`refund ${refundId} of ${orderId} not found`);
    if (refund.status !== 'PENDING') return { status: refund.status, position: null };
    const retry = triedBefore || refund.outcomeUnknown;
    const result = await this.cancel(state, refund);
    if (result.kind === 'ok') {
      const own = ownCancel(result.value, refund);
      if (own) return this.complete(orderId, refund, own.transactionId, context);
      return this.markUnknown(orderId, refund, 'the PG answered without a cancel carrying our key', context);
    }
    if (result.kind === 'unknown') return this.markUnknown(orderId, refund, result.reason, context);
    if (result.kind === 'refused' && !retry) {
      return this.reject(orderId, refund, result.code, result.message, context);
    }
    // Already fully cancelled, or a retry refused: what the PG holds decides.
    const found = await this.gateways.get(state.provider).getPayment(state.pgPaymentId);
    if (found.kind !== 'ok' || !found.value)
      return this.markUnknown(orderId, refund, 'PG lookup failed', context);
    const pg = found.value;
    const own = ownCancel(pg, refund);
    if (own) return this.complete(orderId, refund, own.transactionId, context);
    // Ours was not made (a keyed repeat would have answered with it): the cancels we do not know
    // were made elsewhere (the PG's console). Record them; then ours is judged on what is left.
    const recorded = await this.recordCancelsMadeElsewhere(orderId, state, pg, context);
    if (refund.amount > pg.balanceAmount) {
      return this.reject(
        orderId,
        refund,
        'REFUND_EXCEEDS_PG_BALANCE',
        `the PG's refundable balance is ${pg.balanceAmount} KRW`,
        context,
      );
    }
    if (result.kind === 'refused' && !recorded) {
      // Nothing changed at the PG, and it still says no: a refusal like any other (C5 for refunds).
      return this.reject(orderId, refund, result.code, result.message, context);
    }
    state = await this.load(orderId);
    const again = await this.cancel(state, refund);
    const ownAgain = again.kind === 'ok' ? ownCancel(again.value, refund) : undefined;
    if (ownAgain) return this.complete(orderId, refund, ownAgain.transactionId, context);
    if (again.kind === 'refused') return this.reject(orderId, refund, again.code, again.message, context);
    return this.markUnknown(
      orderId,
      refund,
      `after recording cancels made elsewhere: ${again.kind}`,
      context,
    );
  }

  private cancel(state: ExistingPayment, refund: Refund) {
    return this.gateways.get(state.provider).cancel({
      pgPaymentId: state.pgPaymentId,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: refund.idempotencyKey ?? `ll-refund-${state.orderId}-${refund.refundId}`,
      balanceBefore: state.amount - refundedAmount(state),
    });
  }

  private async load(orderId: string): Promise<ExistingPayment> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    if (state.status === 'NONE') throw new Error(`payment of ${orderId} not found`);
    return state;
  }

  /** Records the PG's cancels we do not know (made in its console); true when any was new. */
  async recordCancelsMadeElsewhere(
    orderId: string,
    state: ExistingPayment,
    pg: PgPayment,
    context: CommandContext,
  ): Promise<boolean> {
    const known = new Set(state.refunds.map((r) => r.pgCancelId));
    const ours = new Set(state.refunds.map((r) => r.idempotencyKey).filter((k): k is string => k !== null));
    const others = pg.cancels.filter(
      (c) => !known.has(c.transactionId) && (c.requestKey === null || !ours.has(c.requestKey)),
    );
    for (const cancel of others) {
      await this.repository.handle(
        paymentStreamId(orderId),
        paymentDecider,
        {
          type: 'RecordPgCancel',
          pgCancelId: cancel.transactionId,
          amount: cancel.amount,
          reason: cancel.reason,
          canceledAt: fromIso(cancel.canceledAt),
        },
        { ...context, commandId: `pg-cancel:${orderId}:${cancel.transactionId}` },
      );
    }
    return others.length > 0;
  }

  private async markUnknown(
    orderId: string,
    refund: Refund,
    reason: string,
    context: CommandContext,
  ): Promise<RefundOutcome> {
    const handled = await this.repository.handle(
      paymentStreamId(orderId),
      paymentDecider,
      { type: 'MarkRefundUnknown', refundId: refund.refundId, reason },
      context,
    );
    return { status: 'PENDING', position: handled.position };
  }

  private async reject(
    orderId: string,
    refund: Refund,
    code: string,
    message: string,
    context: CommandContext,
  ): Promise<RefundOutcome> {
    const handled = await this.repository.handle(
      paymentStreamId(orderId),
      paymentDecider,
      { type: 'RejectRefund', refundId: refund.refundId, code, message },
      context,
    );
    return { status: 'REJECTED', position: handled.position };
  }

  private async complete(
    orderId: string,
    refund: Refund,
    pgCancelId: string,
    context: CommandContext,
  ): Promise<RefundOutcome> {
    const handled = await this.repository.handle(
      paymentStreamId(orderId),
      paymentDecider,
      { type: 'CompleteRefund', refundId: refund.refundId, pgCancelId },
      context,
    );
    return { status: 'COMPLETED', position: handled.position };
  }
}
