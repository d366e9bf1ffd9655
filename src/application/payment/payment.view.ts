import { effectiveOrderStatus } from '../../domain/order/order.state';
import { paymentStatus, refundedAmount } from '../../domain/payment/payment.state';
import type { OrderDoc } from '../order/order-read-model';

const iso = (ms: number | null | undefined): string | null =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

export type PaymentStatusView =
  'PENDING' | 'APPROVED' | 'REJECTED' | 'PARTIALLY_REFUNDED' | 'REFUNDED' | 'CANCELED_BY_SYSTEM';

export function orderView(doc: OrderDoc, now: number) {
  const o = doc.order.order;
  return {
    orderId: o.orderId,
    userId: o.userId,
    planId: o.planId,
    planType: o.planType,
    orderName: o.orderName,
    amount: o.amount,
    currency: 'KRW',
    status: effectiveOrderStatus(doc.order, now),
    createdAt: iso(o.createdAt),
    expiresAt: iso(o.expiresAt),
    paidAt: iso(doc.order.payment?.approvedAt),
  };
}

function statusOf(doc: OrderDoc): PaymentStatusView {
  if (doc.payment.status !== 'NONE') return paymentStatus(doc.payment);
  const last = doc.order.attempts[doc.order.attempts.length - 1];
  if (last?.status === 'IN_FLIGHT' || last?.status === 'UNKNOWN') return 'PENDING';
  if (doc.order.payment) return 'APPROVED';
  if (doc.order.refusedApprovals.length > 0 && (last === undefined || last.status === 'APPROVAL_REFUSED')) {
    return 'CANCELED_BY_SYSTEM';
  }
  return 'REJECTED';
}

/** The payment of an order as the REST contract shows it. */
export function paymentView(doc: OrderDoc) {
  const o = doc.order;
  const p = doc.payment;
  const lastAttempt = o.attempts[o.attempts.length - 1];
  const approved = o.payment;
  const refused = o.refusedApprovals[o.refusedApprovals.length - 1];
  const status = statusOf(doc);
  return {
    orderId: o.order.orderId,
    userId: o.order.userId,
    planId: o.order.planId,
    planType: o.order.planType,
    orderName: o.order.orderName,
    provider: approved?.provider ?? lastAttempt?.provider ?? refused?.provider ?? null,
    pgPaymentId: approved?.pgPaymentId ?? lastAttempt?.pgPaymentId ?? refused?.pgPaymentId ?? null,
    status,
    amount: o.order.amount,
    refundedAmount: p.status === 'NONE' ? 0 : refundedAmount(p),
    currency: 'KRW',
    method: approved?.methodDetail.method ?? null,
    methodDetail: approved?.methodDetail ?? null,
    approvedAt: iso(approved?.approvedAt),
    createdAt: iso(o.order.createdAt),
    ...(status === 'REJECTED' && lastAttempt?.rejection ? { failure: lastAttempt.rejection } : {}),
    ...(status === 'CANCELED_BY_SYSTEM' && refused
      ? { systemCancel: { reason: refused.reason, cancelledAtPg: refused.cancelled } }
      : {}),
    refunds:
      p.status === 'NONE'
        ? []
        : p.refunds.map((r) => ({
            refundId: r.refundId,
            amount: r.amount,
            reason: r.reason,
            status: r.status,
            requestedAt: iso(r.requestedAt),
            completedAt: iso(r.completedAt),
            requestedBy: r.requestedBy,
            ...(r.rejection ? { failure: r.rejection } : {}),
          })),
  };
}

export type PaymentView = ReturnType<typeof paymentView>;
