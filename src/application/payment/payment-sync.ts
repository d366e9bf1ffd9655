import { inject, injectable } from 'inversify';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { Provider } from '../../domain/order/order.events';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { pgPaymentClaimDecider, pgPaymentClaimStreamId } from '../../domain/payment/pg-payment-claim.decider';
import { DomainError } from '../../domain/shared/domain-error';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext, type CommandContext } from '../event-sourcing/command-context';
import type { PgPayment } from '../ports/payment-gateway.port';
import type { RefundExecutor } from '../refund/refund-executor';
import type { EntitlementRemoval } from '../refund/entitlement-removal.process';
import { TOKENS } from '../tokens';
import type { PaymentGateways } from './payment-gateways';
import type { PgOutcomeRecorder } from './pg-outcome.recorder';
import type { SingleFlight } from '../event-sourcing/single-flight';

/**
 * Makes our facts agree with what the PG says about an order's payment: a late approval is
 * honoured or cancelled (C7), pending refunds are settled, and cancels made in the PG's
 * console become recorded refunds. Webhooks only hint that this is worth doing.
 */
export type SyncOutcome = 'done' | 'pg-unreachable' | 'refund-pending';

@injectable()
export class PaymentSync {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PgOutcomeRecorder) private readonly recorder: PgOutcomeRecorder,
    @inject(TOKENS.RefundExecutor) private readonly refunds: RefundExecutor,
    @inject(TOKENS.EntitlementRemoval) private readonly removal: EntitlementRemoval,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
  ) {}

  /**
   * Asks the PG and reconciles. `pg-unreachable`: the PG could not be asked; `refund-pending`:
   * a refund of ours is still being settled by the refund-execution process, and until it is, a
   * cancel we do not know may be ours, so nothing is attributed (and the PG is not asked). Either
   * way the hint is not used up: whoever asked comes back later (P3).
   */
  async sync(
    orderId: string,
    provider: Provider,
    pgPaymentId: string | null,
    causationId: string,
  ): Promise<SyncOutcome> {
    if (await this.refundPending(orderId)) return 'refund-pending';
    const gateway = this.gateways.get(provider);
    const found = pgPaymentId ? await gateway.getPayment(pgPaymentId) : await gateway.findByOrderId(orderId);
    if (found.kind !== 'ok') return 'pg-unreachable';
    if (!found.value || found.value.orderId !== orderId) return 'done';
    const pg = found.value;
    const context = systemContext('payment-sync', `sync:${orderId}:${causationId}`, causationId);
    await this.singleFlight.run(`order:${orderId}`, () => this.syncOrder(orderId, pg, context));
    return this.singleFlight.run(`payment:${orderId}`, () => this.syncRefunds(orderId, pg, context));
  }

  private async refundPending(orderId: string): Promise<boolean> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    return state.status !== 'NONE' && state.refunds.some((r) => r.status === 'PENDING');
  }

  /** An approval the PG holds for this order that we have not recorded: honour it or cancel it (C4, C7). */
  async syncOrder(orderId: string, pg: PgPayment, context: CommandContext): Promise<void> {
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

  private async syncRefunds(orderId: string, pg: PgPayment, context: CommandContext): Promise<SyncOutcome> {
    const { state } = await this.repository.load(paymentStreamId(orderId), paymentDecider);
    if (state.status === 'NONE' || state.pgPaymentId !== pg.pgPaymentId) return 'done';
    if (state.refunds.some((r) => r.status === 'PENDING')) return 'refund-pending';
    // Ours are all settled, known by their cancel ids (or keys): the rest were made elsewhere.
    await this.refunds.recordCancelsMadeElsewhere(orderId, state, pg, context);
    await this.removal.tryNow(orderId, context.causationId);
    return 'done';
  }
}
