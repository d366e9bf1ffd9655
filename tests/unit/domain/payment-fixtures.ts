import type { PaymentCommand } from '../../../src/domain/payment/payment.commands';
import { refundIdempotencyKey } from '../../../src/domain/payment/payment.commands';
import { paymentDecider } from '../../../src/domain/payment/payment.decider';
import type { PaymentEvent, RefundActor } from '../../../src/domain/payment/payment.events';
import type { ExistingPayment } from '../../../src/domain/payment/payment.state';
import { DAY_MS, HOUR_MS, toIso, type Instant } from '../../../src/domain/shared/time';
import { deciderSpec } from './decider-spec';

/** Shared given/when/then vocabulary for the payment decider tests. */
export const { given, history, stateOf } = deciderSpec(paymentDecider);

export const ORDER_ID = 'ord_Pq7LmW2xZk9Tb4nRy3sV';
export const OWNER = 'user-1';
export const PG_KEY = 'tgen_20240301_pk1';
export const AMOUNT = 19_900;
export const WINDOW_DAYS = 3;

/** Approved at 12:00 in Seoul. */
export const APPROVED_AT: Instant = Date.parse('2024-03-01T12:00:00+09:00');
/** `h` hours after the approval. */
export const hours = (h: number): Instant => APPROVED_AT + h * HOUR_MS;
/** `d` days after the approval. */
export const days = (d: number): Instant => APPROVED_AT + d * DAY_MS;

export const owner: RefundActor = { userId: OWNER, role: 'user' };
export const admin: RefundActor = { userId: 'admin-1', role: 'admin' };
export const stranger: RefundActor = { userId: 'user-2', role: 'user' };

export const openPayment: PaymentCommand = {
  type: 'OpenPayment',
  orderId: ORDER_ID,
  userId: OWNER,
  planId: 2,
  planType: 'SUBSCRIPTION',
  provider: 'toss',
  pgPaymentId: PG_KEY,
  amount: AMOUNT,
  approvedAt: APPROVED_AT,
  methodDetail: { method: '간편결제', easyPayProvider: '토스페이' },
};

export const approved: PaymentEvent = {
  type: 'PaymentApproved',
  data: {
    orderId: ORDER_ID,
    userId: OWNER,
    planId: 2,
    planType: 'SUBSCRIPTION',
    provider: 'toss',
    pgPaymentId: PG_KEY,
    amount: AMOUNT,
    approvedAt: toIso(APPROVED_AT),
    methodDetail: { method: '간편결제', easyPayProvider: '토스페이' },
  },
};

export const requestRefund = (
  refundId: string,
  p: { amount?: number; actor?: RefundActor; windowDays?: number; reason?: string } = {},
): PaymentCommand => ({
  type: 'RequestRefund',
  refundId,
  amount: p.amount,
  reason: p.reason ?? '단순 변심',
  actor: p.actor ?? owner,
  refundWindowDays: p.windowDays ?? WINDOW_DAYS,
});

export const completeRefund = (refundId: string, pgCancelId = `tx-${refundId}`): PaymentCommand => ({
  type: 'CompleteRefund',
  refundId,
  pgCancelId,
});
export const rejectRefund = (refundId: string): PaymentCommand => ({
  type: 'RejectRefund',
  refundId,
  code: 'NOT_CANCELABLE_AMOUNT',
  message: '취소 할 수 없는 금액 입니다.',
});
export const markRefundUnknown = (refundId: string): PaymentCommand => ({
  type: 'MarkRefundUnknown',
  refundId,
  reason: 'timeout',
});
export const recordPgCancel = (pgCancelId: string, amount: number, canceledAt: Instant): PaymentCommand => ({
  type: 'RecordPgCancel',
  pgCancelId,
  amount,
  reason: '관리자 콘솔 취소',
  canceledAt,
});

export const refundRequested = (
  refundId: string,
  amount: number,
  requestedAt: Instant,
  p: { actor?: RefundActor; windowDays?: number; balanceBefore?: number; reason?: string } = {},
): PaymentEvent => ({
  type: 'RefundRequested',
  data: {
    refundId,
    amount,
    reason: p.reason ?? '단순 변심',
    requestedBy: p.actor ?? owner,
    requestedAt: toIso(requestedAt),
    refundWindowDays: p.windowDays ?? WINDOW_DAYS,
    idempotencyKey: refundIdempotencyKey(ORDER_ID, refundId),
    balanceBefore: p.balanceBefore ?? AMOUNT,
  },
});

export const refundCompleted = (
  refundId: string,
  at: Instant,
  pgCancelId = `tx-${refundId}`,
): PaymentEvent => ({
  type: 'RefundCompleted',
  data: { refundId, pgCancelId, completedAt: toIso(at) },
});
export const refundRejected = (refundId: string, at: Instant): PaymentEvent => ({
  type: 'RefundRejected',
  data: { refundId, code: 'NOT_CANCELABLE_AMOUNT', message: '취소 할 수 없는 금액 입니다.', at: toIso(at) },
});
export const refundUnknown = (refundId: string, at: Instant): PaymentEvent => ({
  type: 'RefundOutcomeUnknown',
  data: { refundId, reason: 'timeout', at: toIso(at) },
});
export const pgCancelRecorded = (pgCancelId: string, amount: number, canceledAt: Instant): PaymentEvent => ({
  type: 'PgCancelRecorded',
  data: {
    refundId: `pg-${pgCancelId}`,
    pgCancelId,
    amount,
    reason: '관리자 콘솔 취소',
    canceledAt: toIso(canceledAt),
  },
});

export function existing(events: readonly PaymentEvent[]): ExistingPayment {
  const state = stateOf(events);
  if (state.status === 'NONE') throw new Error('expected a payment');
  return state;
}
