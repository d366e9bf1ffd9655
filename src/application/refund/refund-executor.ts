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
import type { PgCancel, PgPayment } from '../ports/payment-gateway.port';
import type { PaymentGateways } from '../payment/payment-gateways';
import { TOKENS } from '../tokens';
import type { EntitlementRevocation } from './entitlement-revocation.process';

export type RefundOutcome = { status: 'COMPLETED' | 'REJECTED' | 'PENDING'; position: number | null };

/** The PG's cancel that is this refund: one we have not recorded yet, of the refund's amount. */
function cancelFor(pg: PgPayment, payment: ExistingPayment, refund: Refund): PgCancel | undefined {
  const known = new Set(payment.refunds.map((r) => r.pgCancelId).filter((id): id is string => id !== null));
  return [...pg.cancels].reverse().find((c) => !known.has(c.transactionId) && c.amount === refund.amount);
}

/**
 * F3: makes the PG cancel call of a recorded refund and records what came of it. Callers
 * serialise work per payment (PortOne's checksum is the balance before the cancel). A refund
 * tried before is first looked up at the PG, so a cancel that went through is never repeated.
 */
@injectable()
export class RefundExecutor {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.EntitlementRevocation) private readonly revocation: EntitlementRevocation,
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
    const gateway = this.gateways.get(state.provider);
    if (triedBefore || refund.outcomeUnknown) {
      const found = await gateway.getPayment(state.pgPaymentId);
      if (found.kind !== 'ok' || !found.value) return { status: 'PENDING', position: null };
      const pg = found.value;
      const applied = cancelFor(pg, state, refund);
      if (applied) return this.complete(orderId, refund, applied.transactionId, context);
      // Ours was not applied, so the cancels the PG lists that we do not know were made elsewhere
      // (its console). Record them first: until then the balances disagree and ours would wait forever.
      state = await this.recordCancelsMadeElsewhere(orderId, state, pg, context);
      if (pg.totalAmount - pg.balanceAmount !== refundedAmount(state))
        return { status: 'PENDING', position: null };
      if (refund.amount > pg.balanceAmount) return this.rejectUnfit(orderId, refund, pg, context);
    }
    const result = await gateway.cancel({
      pgPaymentId: state.pgPaymentId,
      amount: refund.amount,
      reason: refund.reason,
      idempotencyKey: refund.idempotencyKey ?? `ll-refund-${orderId}-${refundId}`,
      balanceBefore: state.amount - refundedAmount(state),
    });
    const stream = paymentStreamId(orderId);
    if (result.kind === 'ok') {
      const cancel = cancelFor(result.value, state, refund);
      return this.complete(orderId, refund, cancel?.transactionId ?? `ll-${refundId}`, context);
    }
    if (result.kind === 'refused' && !triedBefore && !refund.outcomeUnknown) {
      const handled = await this.repository.handle(
        stream,
        paymentDecider,
        { type: 'RejectRefund', refundId, code: result.code, message: result.message },
        context,
      );
      return { status: 'REJECTED', position: handled.position };
    }
    // Unknown, or a refusal of a retry (it may only say the first try went through): ask again later.
    const handled = await this.repository.handle(
      stream,
      paymentDecider,
      {
        type: 'MarkRefundUnknown',
        refundId,
        reason: result.kind === 'unknown' ? result.reason : result.code,
      },
      context,
    );
    return { status: 'PENDING', position: handled.position };
  }

  private async load(orderId: string): Promise<ExistingPayment> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    if (state.status === 'NONE') throw new Error(`payment of ${orderId} not found`);
    return state;
  }

  private async recordCancelsMadeElsewhere(
    orderId: string,
    state: ExistingPayment,
    pg: PgPayment,
    context: CommandContext,
  ): Promise<ExistingPayment> {
    const known = new Set(state.refunds.map((r) => r.pgCancelId));
    const others = pg.cancels.filter((c) => !known.has(c.transactionId));
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
    return others.length === 0 ? state : this.load(orderId);
  }

  /** Cancels made elsewhere left less at the PG than this refund asks for: it can no longer be made. */
  private async rejectUnfit(
    orderId: string,
    refund: Refund,
    pg: PgPayment,
    context: CommandContext,
  ): Promise<RefundOutcome> {
    const handled = await this.repository.handle(
      paymentStreamId(orderId),
      paymentDecider,
      {
        type: 'RejectRefund',
        refundId: refund.refundId,
        code: 'REFUND_EXCEEDS_PG_BALANCE',
        message: `the PG's refundable balance is ${pg.balanceAmount} KRW`,
      },
      context,
    );
    const revoked = await this.revocation.run(orderId, context.causationId);
    return { status: 'REJECTED', position: revoked ?? handled.position };
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
    const revoked = await this.revocation.run(orderId, context.causationId);
    return { status: 'COMPLETED', position: revoked ?? handled.position };
  }
}
