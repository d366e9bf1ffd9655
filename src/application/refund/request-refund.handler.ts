import { inject, injectable } from 'inversify';
import { paymentDecider, paymentStreamId } from '../../domain/payment/payment.decider';
import { findRefund, type Refund } from '../../domain/payment/payment.state';
import type { RefundActor } from '../../domain/payment/payment.events';
import { DomainError } from '../../domain/shared/domain-error';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import type { CommandContext } from '../event-sourcing/command-context';
import { deriveEventId } from '../event-sourcing/event-ids';
import type { IdGenerator } from '../ports/id-generator.port';
import type { SingleFlight } from '../event-sourcing/single-flight';
import { TOKENS } from '../tokens';
import type { EntitlementRemoval } from './entitlement-removal.process';
import type { RefundExecutor, RefundOutcome } from './refund-executor';

export interface RequestRefund {
  requestId: string;
  /**
   * The id of the request that carries the command (X-Request-Id): the events' correlationId.
   * It may come from the caller, so unlike requestId it need not be unique; defaults to requestId.
   */
  correlationId?: string;
  actor: RefundActor;
  orderId: string;
  amount?: number;
  reason: string;
  /** The request's Idempotency-Key: a retry with it is the same refund, never a second one. */
  idempotencyKey?: string;
}

/** A UUID derived from the caller's key, so every retry of a request names the same refund. */
const refundIdFor = (command: RequestRefund, key: string): string =>
  deriveEventId(`refund-request:${command.actor.userId}:${key}`, paymentStreamId(command.orderId), 0);

/**
 * F1–F3: decide the refund against the window and the balance, record it, then cancel at the
 * PG. Refunds of one payment run one at a time in this process; across processes the payment
 * stream's revision keeps the refunded total within the paid amount (F2).
 */
@injectable()
export class RequestRefundHandler {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.RefundExecutor) private readonly executor: RefundExecutor,
    @inject(TOKENS.EntitlementRemoval) private readonly removal: EntitlementRemoval,
    @inject(TOKENS.SingleFlight) private readonly singleFlight: SingleFlight,
    @inject(TOKENS.IdGenerator) private readonly ids: IdGenerator,
    @inject(TOKENS.RefundWindowDays) private readonly refundWindowDays: number,
  ) {}

  handle(command: RequestRefund): Promise<RefundOutcome & { refundId: string }> {
    return this.singleFlight.run(`payment:${command.orderId}`, () => this.refund(command));
  }

  private async refund(command: RequestRefund): Promise<RefundOutcome & { refundId: string }> {
    const stream = paymentStreamId(command.orderId);
    const context: CommandContext = {
      commandId: `${command.requestId}:refund`,
      correlationId: command.correlationId ?? command.requestId,
      causationId: command.requestId,
      actor: { kind: 'user', ...command.actor },
    };
    const { state } = await this.repository.load(stream, paymentDecider);
    const key = command.idempotencyKey;
    const earlier = key && state.status !== 'NONE' ? findRefund(state, refundIdFor(command, key)) : undefined;
    // A retry whose first answer was not stored (202 PENDING): answer with that refund as it is now.
    if (earlier) return this.replay(command, earlier);
    if (state.status !== 'NONE' && state.refunds.some((r) => r.status === 'PENDING')) {
      // PortOne's checksum is the balance before a cancel: it is unknowable while one is unsettled.
      throw new DomainError(
        'CONCURRENCY_CONFLICT',
        'an earlier refund of this payment is still being confirmed with the PG',
      );
    }
    const refundId = key ? refundIdFor(command, key) : this.ids.uniqueId();
    await this.repository.handle(
      stream,
      paymentDecider,
      {
        type: 'RequestRefund',
        refundId,
        amount: command.amount,
        reason: command.reason,
        actor: command.actor,
        refundWindowDays: this.refundWindowDays,
      },
      context,
    );
    const outcome = await this.executor.execute(command.orderId, refundId, false, {
      ...context,
      commandId: `${command.requestId}:outcome`,
    });
    if (outcome.status !== 'COMPLETED') return { ...outcome, refundId };
    // F4 at once, so the caller's next read shows it; if it fails, the refund still stands and
    // the entitlement-removal process owes the rest.
    const removed = await this.removal.tryNow(command.orderId, command.requestId);
    return { ...outcome, position: removed ?? outcome.position, refundId };
  }

  private replay(command: RequestRefund, earlier: Refund): RefundOutcome & { refundId: string } {
    const same =
      earlier.reason === command.reason.trim() &&
      (command.amount === undefined || command.amount === earlier.amount);
    if (!same) {
      throw new DomainError(
        'IDEMPOTENCY_KEY_REUSED',
        'this Idempotency-Key was already used for another refund of this payment',
      );
    }
    return { status: earlier.status, position: null, refundId: earlier.refundId };
  }
}
