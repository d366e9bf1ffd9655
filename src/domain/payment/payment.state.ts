import type { MethodDetail, Provider } from '../order/order.events';
import type { Instant } from '../shared/time';
import type { RefundActor } from './payment.events';

export type RefundStatus = 'PENDING' | 'COMPLETED' | 'REJECTED';

export interface Refund {
  refundId: string;
  amount: number;
  reason: string;
  status: RefundStatus;
  /** Set while the PG's answer is unknown (C6 applied to refunds). */
  outcomeUnknown: boolean;
  requestedBy: RefundActor | null;
  requestedAt: Instant;
  completedAt: Instant | null;
  idempotencyKey: string | null;
  balanceBefore: number;
  pgCancelId: string | null;
  rejection?: { code: string; message: string };
}

export type PaymentState =
  | { status: 'NONE' }
  | {
      status: 'APPROVED';
      orderId: string;
      userId: string;
      planId: number;
      planType: 'SUBSCRIPTION' | 'EVENT';
      provider: Provider;
      pgPaymentId: string;
      amount: number;
      approvedAt: Instant;
      methodDetail: MethodDetail;
      refunds: Refund[];
    };

export type ExistingPayment = Exclude<PaymentState, { status: 'NONE' }>;

export const refundedAmount = (p: ExistingPayment): number =>
  p.refunds.filter((r) => r.status === 'COMPLETED').reduce((sum, r) => sum + r.amount, 0);

/** F2: what may still be refunded; pending refunds count as spent until the PG says no. */
export const refundableBalance = (p: ExistingPayment): number =>
  p.amount - p.refunds.filter((r) => r.status !== 'REJECTED').reduce((sum, r) => sum + r.amount, 0);

export function paymentStatus(p: ExistingPayment): 'APPROVED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' {
  const refunded = refundedAmount(p);
  if (refunded === 0) return 'APPROVED';
  return refunded >= p.amount ? 'REFUNDED' : 'PARTIALLY_REFUNDED';
}

export const findRefund = (p: ExistingPayment, refundId: string): Refund | undefined =>
  p.refunds.find((r) => r.refundId === refundId);
