import { inject, injectable } from 'inversify';
import { TOKENS } from '../tokens';
import type { RecordAttemptRejected, RecordAttemptUnknown } from '../../domain/order/order.commands';
import { orderDecider, orderStreamId } from '../../domain/order/order.decider';
import type { ExistingOrder, OrderState } from '../../domain/order/order.state';
import { fromIso } from '../../domain/shared/time';
import type { AggregateRepository } from '../event-sourcing/aggregate-repository';
import type { CommandContext } from '../event-sourcing/command-context';
import type { Clock } from '../ports/clock.port';
import type { PgPayment } from '../ports/payment-gateway.port';
import type { ApprovalFollowUp } from './approval-follow-up.process';
import type { ApprovalVoider } from './approval-voider';

export interface Recorded {
  state: ExistingOrder;
  position: number | null;
}

/**
 * Turns what the PG says about a payment into order facts (C3, C7, C9), whoever asked: the
 * confirm handler, the reconciler or a webhook.
 */
@injectable()
export class PgOutcomeRecorder {
  constructor(
    @inject(TOKENS.AggregateRepository) private readonly repository: AggregateRepository,
    @inject(TOKENS.ApprovalFollowUp) private readonly followUp: ApprovalFollowUp,
    @inject(TOKENS.ApprovalVoider) private readonly voider: ApprovalVoider,
    @inject(TOKENS.Clock) private readonly clock: Clock,
  ) {}

  async record(
    orderId: string,
    attempt: number | null,
    pg: PgPayment,
    context: CommandContext,
  ): Promise<Recorded> {
    const stream = orderStreamId(orderId);
    if (pg.orderId !== orderId) {
      // Not this order's payment: refuse it, and never cancel a payment that is someone else's.
      return this.reject(
        orderId,
        attempt,
        'PG_ORDER_MISMATCH',
        `the PG payment belongs to order ${pg.orderId}`,
        context,
      );
    }
    if (pg.status === 'AWAITING') {
      // The PG may still approve it: the outcome stays unknown and the reconciler asks again.
      return this.markUnknown(orderId, attempt, `the PG reports ${pg.pgStatus}`, context);
    }
    if (pg.status === 'NOT_APPROVED') {
      const code = pg.failure?.code ?? `PG_STATUS_${pg.pgStatus}`;
      return this.reject(
        orderId,
        attempt,
        code,
        pg.failure?.message ?? `the PG reports ${pg.pgStatus}`,
        context,
      );
    }
    const handled = await this.repository.handle(
      stream,
      orderDecider,
      {
        type: 'RecordApproval',
        attempt,
        provider: pg.provider,
        pgPaymentId: pg.pgPaymentId,
        pgAmount: pg.totalAmount,
        // An approval without a time counts as made now: never earlier than we can tell.
        approvedAt: pg.approvedAt ? fromIso(pg.approvedAt) : this.clock.now(),
        methodDetail: pg.methodDetail,
      },
      context,
    );
    const state = existing(handled.state);
    let position = handled.position;
    if (state.status === 'PAID' && state.payment?.pgPaymentId === pg.pgPaymentId) {
      position = (await this.followUp.complete(state, context.causationId)) ?? position;
    }
    const refused = state.refusedApprovals.find((r) => r.pgPaymentId === pg.pgPaymentId && !r.cancelled);
    if (refused) {
      await this.voider.void(orderId, refused, context.causationId);
      const after = await this.repository.load(stream, orderDecider);
      return { state: existing(after.state), position };
    }
    return { state, position };
  }

  markUnknown(
    orderId: string,
    attempt: number | null,
    reason: string,
    context: CommandContext,
  ): Promise<Recorded> {
    return this.settle(
      orderId,
      attempt === null ? null : { type: 'RecordAttemptUnknown', attempt, reason },
      context,
    );
  }

  reject(
    orderId: string,
    attempt: number | null,
    code: string,
    message: string,
    context: CommandContext,
  ): Promise<Recorded> {
    return this.settle(
      orderId,
      attempt === null ? null : { type: 'RecordAttemptRejected', attempt, code, message },
      context,
    );
  }

  /** Records what became of an attempt; with no attempt (a webhook hint) there is nothing to record. */
  private async settle(
    orderId: string,
    command: RecordAttemptUnknown | RecordAttemptRejected | null,
    context: CommandContext,
  ): Promise<Recorded> {
    const stream = orderStreamId(orderId);
    if (command === null) {
      const loaded = await this.repository.load(stream, orderDecider);
      return { state: existing(loaded.state), position: null };
    }
    const handled = await this.repository.handle(stream, orderDecider, command, context);
    return { state: existing(handled.state), position: handled.position };
  }
}

function existing(state: OrderState): ExistingOrder {
  if (state.status === 'NONE') throw new Error('order vanished while recording a PG outcome');
  return state;
}
