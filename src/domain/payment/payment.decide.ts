import { assertNever } from '../shared/decider';
import { reject } from '../shared/domain-error';
import { DAY_MS, toIso, type Instant } from '../shared/time';
import type { PaymentCommand, RequestRefund } from './payment.commands';
import { refundIdempotencyKey } from './payment.commands';
import type { PaymentEvent } from './payment.events';
import { findRefund, refundableBalance, type ExistingPayment, type PaymentState } from './payment.state';

/** F1/F2: who may refund, until when, and how much. */
function requestRefund(command: RequestRefund, payment: ExistingPayment, now: Instant): PaymentEvent[] {
  if (findRefund(payment, command.refundId)) return [];
  const { actor } = command;
  if (actor.role === 'user') {
    if (actor.userId !== payment.userId) return reject('FORBIDDEN', 'the payment belongs to another user');
    const closesAt = payment.approvedAt + command.refundWindowDays * DAY_MS;
    if (now >= closesAt) {
      return reject(
        'REFUND_WINDOW_CLOSED',
        `refunds closed at ${toIso(closesAt)} (${command.refundWindowDays} days after approval)`,
        {
          refundWindowDays: command.refundWindowDays,
        },
      );
    }
  }
  const balance = refundableBalance(payment);
  const amount = command.amount ?? balance;
  if (amount <= 0 || amount > balance) {
    return reject('REFUND_EXCEEDS_BALANCE', `the refundable balance is ${balance} KRW`, {
      refundableAmount: balance,
    });
  }
  return [
    {
      type: 'RefundRequested',
      data: {
        refundId: command.refundId,
        amount,
        reason: command.reason,
        requestedBy: actor,
        requestedAt: toIso(now),
        refundWindowDays: command.refundWindowDays,
        idempotencyKey: refundIdempotencyKey(payment.orderId, command.refundId),
        balanceBefore:
          payment.amount -
          payment.refunds.filter((r) => r.status === 'COMPLETED').reduce((s, r) => s + r.amount, 0),
      },
    },
  ];
}

function isPending(payment: ExistingPayment, refundId: string): boolean {
  return findRefund(payment, refundId)?.status === 'PENDING';
}

export function decidePayment(command: PaymentCommand, state: PaymentState, now: Instant): PaymentEvent[] {
  if (command.type === 'OpenPayment') {
    if (state.status !== 'NONE') return [];
    const { type: _type, approvedAt, ...rest } = command;
    return [{ type: 'PaymentApproved', data: { ...rest, approvedAt: toIso(approvedAt) } }];
  }
  if (state.status === 'NONE') return reject('PAYMENT_NOT_FOUND', 'no approved payment for this order');
  switch (command.type) {
    case 'RequestRefund':
      return requestRefund(command, state, now);
    case 'CompleteRefund':
      if (!isPending(state, command.refundId)) return [];
      return [
        {
          type: 'RefundCompleted',
          data: { refundId: command.refundId, pgCancelId: command.pgCancelId, completedAt: toIso(now) },
        },
      ];
    case 'RejectRefund':
      if (!isPending(state, command.refundId)) return [];
      return [
        {
          type: 'RefundRejected',
          data: { refundId: command.refundId, code: command.code, message: command.message, at: toIso(now) },
        },
      ];
    case 'MarkRefundUnknown': {
      const refund = findRefund(state, command.refundId);
      if (refund?.status !== 'PENDING' || refund.outcomeUnknown) return [];
      return [
        {
          type: 'RefundOutcomeUnknown',
          data: { refundId: command.refundId, reason: command.reason, at: toIso(now) },
        },
      ];
    }
    case 'RecordPgCancel': {
      if (state.refunds.some((r) => r.pgCancelId === command.pgCancelId)) return [];
      return [
        {
          type: 'PgCancelRecorded',
          data: {
            refundId: `pg-${command.pgCancelId}`,
            pgCancelId: command.pgCancelId,
            amount: command.amount,
            reason: command.reason,
            canceledAt: toIso(command.canceledAt),
          },
        },
      ];
    }
    default:
      return assertNever(command);
  }
}
