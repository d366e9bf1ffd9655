import type { MethodDetail, Provider } from '../order/order.events';
import type { Instant } from '../shared/time';
import type { RefundActor } from './payment.events';

export type OpenPayment = {
  type: 'OpenPayment';
  orderId: string;
  userId: string;
  planId: number;
  planType: 'SUBSCRIPTION' | 'EVENT';
  provider: Provider;
  pgPaymentId: string;
  amount: number;
  approvedAt: Instant;
  methodDetail: MethodDetail;
};

export type RequestRefund = {
  type: 'RequestRefund';
  refundId: string;
  /** Omitted: the whole refundable balance. */
  amount?: number;
  reason: string;
  actor: RefundActor;
  refundWindowDays: number;
};

export type CompleteRefund = { type: 'CompleteRefund'; refundId: string; pgCancelId: string };
export type RejectRefund = { type: 'RejectRefund'; refundId: string; code: string; message: string };
export type MarkRefundUnknown = { type: 'MarkRefundUnknown'; refundId: string; reason: string };
export type RecordPgCancel = {
  type: 'RecordPgCancel';
  pgCancelId: string;
  amount: number;
  reason: string;
  canceledAt: Instant;
};

export type PaymentCommand =
  OpenPayment | RequestRefund | CompleteRefund | RejectRefund | MarkRefundUnknown | RecordPgCancel;

/** F3: the PG idempotency key of a refund, the same on every retry of it. */
export const refundIdempotencyKey = (orderId: string, refundId: string): string =>
  `ll-refund-${orderId}-${refundId}`;
