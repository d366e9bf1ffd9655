import { inject, injectable } from 'inversify';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { Provider } from '../../domain/order/order.events';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { pgPaymentClaimDecider, pgPaymentClaimStreamId } from '../../domain/payment/pg-payment-claim.decider';
import { DomainError } from '../../domain/shared/domain-error';
import { fromIso } from '../../domain/shared/time';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext, type CommandContext } from '../event-sourcing/command-context';
import type { PgPayment } from '../ports/payment-gateway.port';
import type { RefundExecutor } from '../refund/refund-executor';
import type { EntitlementRevocation } from '../refund/entitlement-revocation.process';
import { TOKENS } from '../tokens';
import type { PaymentGateways } from './payment-gateways';
import type { PgOutcomeRecorder } from './pg-outcome.recorder';
import type { SingleFlight } from '../event-sourcing/single-flight';

/**
 * Makes our facts agree with what the PG says about an order's payment: a late approval is
 * honoured or cancelled (C7), pending refunds are settled, and cancels made in the PG's
 * console become recorded refunds. Webhooks only hint that this is worth doing.
 */
@injectable()
export class PaymentSync {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PgOutcomeRecorder) private readonly recorder: PgOutcomeRecorder,
    @inject(TOKENS.RefundExecutor) private readonly refunds: RefundExecutor,
    @inject(TOKENS.EntitlementRevocation) private readonly revocation: EntitlementRevocation,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  async sync(
    orderId: string,
    provider: Provider,
    pgPaymentId: string | null,
    causationId: string,
  ): Promise<void> {
    const gateway = this.gateways.get(provider);
    const found = pgPaymentId ? await gateway.getPayment(pgPaymentId) : await gateway.findByOrderId(orderId);
    if (found.kind !== 'ok' || !found.value || found.value.orderId !== orderId) return;
    const pg = found.value;
    const context = systemContext('payment-sync', `sync:${orderId}:${causationId}`, causationId);
    await this.singleFlight.run(`order:${orderId}`, () => this.syncOrder(orderId, pg, context));
    await this.singleFlight.run(`payment:${orderId}`, () => this.syncRefunds(orderId, pg, context));
  }

  private async syncOrder(orderId: string, pg: PgPayment, context: CommandContext): Promise<void> {
    const { state } = await this.repository.load(orderStreamId(orderId), orderDecider);
    if (state.status === 'NONE') return;
    const attempt = [...state.attempts].reverse().find((a) => a.pgPaymentId === pg.pgPaymentId);
    if (pg.status === 'AWAITING') return;
    if (pg.status === 'NOT_APPROVED') {
      if (attempt && (attempt.status === 'IN_FLIGHT' || attempt.status === 'UNKNOWN')) {
        await this.recorder.record(orderId, attempt.attempt, pg, context);
      }
      return;
    }
    if (state.payment?.pgPaymentId === pg.pgPaymentId) return;
    if (state.refusedApprovals.some((r) => r.pgPaymentId === pg.pgPaymentId && r.cancelled)) return;
    try {
      // C4: the approval backs this order only if no other order holds the PG payment, or the
      // holder is an order the PG says it was not made for (pg.orderId is this order: see sync).
      await this.repository.handle(
        pgPaymentClaimStreamId(pg.provider, pg.pgPaymentId),
        pgPaymentClaimDecider,
        {
          type: 'ClaimPgPayment',
          provider: pg.provider,
          pgPaymentId: pg.pgPaymentId,
          orderId,
          pgOrderId: pg.orderId,
        },
        { ...context, commandId: `${context.commandId}:claim` },
      );
    } catch (error) {
      if (error instanceof DomainError && error.code === 'PG_PAYMENT_ALREADY_USED') return;
      throw error;
    }
    await this.recorder.record(orderId, attempt?.attempt ?? null, pg, context);
  }

  private async syncRefunds(orderId: string, pg: PgPayment, context: CommandContext): Promise<void> {
    const stream = paymentStreamId(orderId);
    let { state } = await this.repository.load(stream, paymentDecider);
    if (state.status === 'NONE' || state.pgPaymentId !== pg.pgPaymentId) return;
    for (const refund of state.refunds.filter((r) => r.status === 'PENDING')) {
      await this.refunds.execute(orderId, refund.refundId, true, context);
    }
    ({ state } = await this.repository.load(stream, paymentDecider));
    if (state.status === 'NONE' || state.refunds.some((r) => r.status === 'PENDING')) return;
    // Our refunds are settled: any cancel the PG lists that we do not know was made elsewhere.
    const known = new Set(state.refunds.map((r) => r.pgCancelId));
    for (const cancel of pg.cancels.filter((c) => !known.has(c.transactionId))) {
      await this.repository.handle(
        stream,
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
    await this.revocation.run(orderId, context.causationId);
  }
}
