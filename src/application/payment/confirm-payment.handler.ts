import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import { checkPayable } from '../../domain/order/order.decide';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { Provider } from '../../domain/order/order.events';
import { unsettledAttempt, type Attempt, type ExistingOrder } from '../../domain/order/order.state';
import { pgPaymentClaimDecider, pgPaymentClaimStreamId } from '../../domain/payment/pg-payment-claim.decider';
import { DomainError } from '../../domain/shared/domain-error';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import { systemContext, type CommandContext } from '../event-sourcing/command-context';
import type { Clock } from '../ports/clock.port';
import type { Actor } from '../ports/event-store.port';
import type { PgCommandResult, PgPayment } from '../ports/payment-gateway.port';
import type { PaymentGateways } from './payment-gateways';
import type { PaymentSync } from './payment-sync';
import type { PgOutcomeRecorder } from './pg-outcome.recorder';
import type { SingleFlight } from '../event-sourcing/single-flight';

export interface ConfirmPayment {
  requestId: string;
  /**
   * The id of the request that carries the command (X-Request-Id): the events' correlationId.
   * It may come from the caller, so unlike requestId it need not be unique; defaults to requestId.
   */
  correlationId?: string;
  userId: string;
  actor: Actor;
  provider: Provider;
  orderId: string;
  pgPaymentId: string;
  /** What the buyer's window returned (Toss); null for PortOne, whose window returns none. */
  amount: number | null;
}

export type ConfirmResult = { kind: 'approved' | 'pending'; position: number | null };

/** The settled outcome of an earlier attempt, replayed for a repeat (C8). */
function replay(
  order: ExistingOrder,
  attempt: Attempt | undefined,
  pgPaymentId: string,
): ConfirmResult | null {
  if (order.payment?.pgPaymentId === pgPaymentId) return { kind: 'approved', position: null };
  const refused = order.refusedApprovals.find((r) => r.pgPaymentId === pgPaymentId);
  if (refused) {
    // C7: the PG approved it, we could not honour it (e.g. a tampered amount) and cancelled it.
    throw new DomainError(
      refused.reason,
      'the PG approval could not be honoured and was cancelled at the PG',
      {
        pgPaymentId,
      },
    );
  }
  if (!attempt) return null;
  switch (attempt.status) {
    case 'IN_FLIGHT':
    case 'UNKNOWN':
      return { kind: 'pending', position: null };
    case 'REJECTED':
      throw new DomainError('PAYMENT_REJECTED', attempt.rejection?.message ?? 'the PG refused the payment', {
        pgCode: attempt.rejection?.code,
      });
    case 'APPROVAL_REFUSED': {
      const refused = order.refusedApprovals.find((r) => r.pgPaymentId === pgPaymentId);
      throw new DomainError(
        refused?.reason ?? 'PAYMENT_REJECTED',
        `${attempt.rejection?.message ?? ''}; the approval was cancelled at the PG`,
      );
    }
    case 'APPROVED':
      return { kind: 'approved', position: null };
  }
}

/** C1–C9: check, claim, record the attempt, ask the PG, record what it said. */
@injectable()
export class ConfirmPaymentHandler {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.PaymentGateways) private readonly gateways: PaymentGateways,
    @inject(TOKENS.PgOutcomeRecorder) private readonly recorder: PgOutcomeRecorder,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
    @inject(TOKENS.PaymentSync) private readonly sync: PaymentSync,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  handle(command: ConfirmPayment): Promise<ConfirmResult> {
    return this.singleFlight.run(`order:${command.orderId}`, () => this.confirm(command));
  }

  private async confirm(command: ConfirmPayment): Promise<ConfirmResult> {
    // A PG this deployment does not use (a Toss-only merchant): refused before anything is
    // claimed or recorded, so no attempt is left for the reconciler to chase.
    this.gateways.get(command.provider);
    const stream = orderStreamId(command.orderId);
    const context = (step: string): CommandContext => ({
      commandId: `${command.requestId}:${step}`,
      correlationId: command.correlationId ?? command.requestId,
      causationId: command.requestId,
      actor: command.actor,
    });
    const { state } = await this.repository.load(stream, orderDecider);
    if (state.status === 'NONE') throw new DomainError('ORDER_NOT_FOUND', 'no such order');
    if (state.order.userId !== command.userId)
      throw new DomainError('FORBIDDEN', 'the order belongs to another user');
    const previous = [...state.attempts].reverse().find((a) => a.pgPaymentId === command.pgPaymentId);
    const replayed = replay(state, previous, command.pgPaymentId);
    if (replayed) return replayed;
    if (unsettledAttempt(state)) {
      throw new DomainError('CONCURRENCY_CONFLICT', 'another confirmation of this order is in progress');
    }
    if (state.status !== 'PENDING' || this.clock.now() >= state.order.expiresAt) {
      // Not payable any more; but a PG whose window takes the money before the confirm (PortOne)
      // may hold a second payment of this order: it must not stay captured (C7).
      await this.reconcileUnpayable(command);
    }
    checkPayable(state, command.userId, command.amount, this.clock.now());
    await this.claim(command, context('claim'));
    const started = await this.repository.handle(
      stream,
      orderDecider,
      {
        type: 'StartPaymentAttempt',
        userId: command.userId,
        provider: command.provider,
        pgPaymentId: command.pgPaymentId,
        amount: command.amount,
      },
      context('attempt'),
    );
    if (started.state.status === 'NONE') throw new Error('unreachable: order without state');
    const attempt = started.state.attempts[started.state.attempts.length - 1] as Attempt;
    return this.askPg(command, attempt, started.state.order.amount, context('outcome'));
  }

  private async reconcileUnpayable(command: ConfirmPayment): Promise<void> {
    const found = await this.gateways.get(command.provider).getPayment(command.pgPaymentId);
    if (found.kind !== 'ok' || !found.value || found.value.orderId !== command.orderId) return;
    await this.sync.syncOrder(
      command.orderId,
      found.value,
      systemContext('confirm', `unpayable:${command.orderId}:${command.pgPaymentId}`, command.requestId),
    );
  }

  /**
   * C4 before any PG call. A claim held by another order may be wrong (an id first submitted
   * with the wrong order): when the PG says the payment was made for this order, it moves here.
   */
  private async claim(command: ConfirmPayment, context: CommandContext): Promise<void> {
    const claim = (pgOrderId?: string) =>
      this.repository.handle(
        pgPaymentClaimStreamId(command.provider, command.pgPaymentId),
        pgPaymentClaimDecider,
        {
          type: 'ClaimPgPayment',
          provider: command.provider,
          pgPaymentId: command.pgPaymentId,
          orderId: command.orderId,
          pgOrderId,
        },
        context,
      );
    try {
      await claim();
    } catch (error) {
      if (!(error instanceof DomainError) || error.code !== 'PG_PAYMENT_ALREADY_USED') throw error;
      const found = await this.gateways.get(command.provider).getPayment(command.pgPaymentId);
      if (found.kind !== 'ok' || found.value?.orderId !== command.orderId) throw error;
      await claim(found.value.orderId);
    }
  }

  private async askPg(
    command: ConfirmPayment,
    attempt: Attempt,
    amount: number,
    context: CommandContext,
  ): Promise<ConfirmResult> {
    const gateway = this.gateways.get(command.provider);
    let result: PgCommandResult<PgPayment> = await gateway.confirm({
      pgPaymentId: command.pgPaymentId,
      orderId: command.orderId,
      amount,
      idempotencyKey: attempt.idempotencyKey,
    });
    if (result.kind === 'already_done') {
      // Confirmed before (an answer we lost): what the PG holds now is the truth.
      const found = await gateway.getPayment(command.pgPaymentId);
      result =
        found.kind === 'ok' && found.value
          ? { kind: 'ok', value: found.value }
          : { kind: 'unknown', reason: 'already processed' };
    }
    if (result.kind === 'unknown') {
      const recorded = await this.recorder.markUnknown(
        command.orderId,
        attempt.attempt,
        result.reason,
        context,
      );
      return { kind: 'pending', position: recorded.position };
    }
    const recorded =
      result.kind === 'refused'
        ? await this.recorder.reject(command.orderId, attempt.attempt, result.code, result.message, context)
        : await this.recorder.record(command.orderId, attempt.attempt, result.value, context);
    const settled = recorded.state.attempts.find((a) => a.attempt === attempt.attempt);
    const outcome = replay(recorded.state, settled, command.pgPaymentId);
    return { kind: outcome?.kind ?? 'pending', position: recorded.position };
  }
}
