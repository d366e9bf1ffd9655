import { assertNever } from '../shared/decider';
import { fromIso } from '../shared/time';
import type { OrderEvent } from './order.events';
import type { Attempt, AttemptStatus, ExistingOrder, OrderState } from './order.state';

export const initialOrderState: OrderState = { status: 'NONE' };

function withAttempt(
  state: ExistingOrder,
  attempt: number | null,
  status: AttemptStatus,
  settled?: { at: string; rejection: Attempt['rejection'] },
): ExistingOrder {
  if (attempt === null) return state;
  const extra = settled ? { settledAt: fromIso(settled.at), rejection: settled.rejection } : {};
  return {
    ...state,
    attempts: state.attempts.map((a) => (a.attempt === attempt ? { ...a, status, ...extra } : a)),
  };
}

export function evolveOrder(state: OrderState, event: OrderEvent): OrderState {
  if (event.type === 'OrderPlaced') {
    const d = event.data;
    return {
      status: 'PENDING',
      order: {
        orderId: d.orderId,
        userId: d.userId,
        planId: d.planId,
        planType: d.planType,
        planName: d.planName,
        planMonths: d.planMonths,
        orderName: d.orderName,
        amount: d.amount,
        createdAt: fromIso(d.createdAt),
        expiresAt: fromIso(d.expiresAt),
      },
      attempts: [],
      payment: null,
      refusedApprovals: [],
      expiredAt: null,
    };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'PaymentAttemptStarted': {
      const d = event.data;
      const attempt: Attempt = {
        attempt: d.attempt,
        provider: d.provider,
        pgPaymentId: d.pgPaymentId,
        idempotencyKey: d.idempotencyKey,
        startedAt: fromIso(d.startedAt),
        status: 'IN_FLIGHT',
      };
      return { ...state, attempts: [...state.attempts, attempt] };
    }
    case 'PaymentAttemptRejected':
      return withAttempt(state, event.data.attempt, 'REJECTED', {
        at: event.data.at,
        rejection: { code: event.data.code, message: event.data.message },
      });
    case 'PaymentAttemptOutcomeUnknown':
      return withAttempt(state, event.data.attempt, 'UNKNOWN');
    case 'OrderPaid': {
      const d = event.data;
      return {
        ...withAttempt(state, d.attempt, 'APPROVED'),
        status: 'PAID',
        payment: {
          attempt: d.attempt,
          provider: d.provider,
          pgPaymentId: d.pgPaymentId,
          amount: d.amount,
          approvedAt: fromIso(d.approvedAt),
          methodDetail: d.methodDetail,
        },
      };
    }
    case 'PaymentAttemptApproved':
      return withAttempt(state, event.data.attempt, 'APPROVED');
    case 'PgApprovalRefused': {
      const d = event.data;
      const refused = {
        pgPaymentId: d.pgPaymentId,
        provider: d.provider,
        pgAmount: d.pgAmount,
        reason: d.reason,
        cancelled: false,
      };
      const next = withAttempt(state, d.attempt, 'APPROVAL_REFUSED', {
        at: d.at,
        rejection: { code: d.reason, message: d.detail },
      });
      return { ...next, refusedApprovals: [...state.refusedApprovals, refused] };
    }
    case 'PgApprovalCancelled':
      return {
        ...state,
        refusedApprovals: state.refusedApprovals.map((r) =>
          r.pgPaymentId === event.data.pgPaymentId ? { ...r, cancelled: true } : r,
        ),
      };
    case 'OrderExpired':
      // Only a pending order expires (decide records it for no other).
      if (state.status !== 'PENDING') return state;
      return { ...state, status: 'EXPIRED', payment: null, expiredAt: fromIso(event.data.at) };
    default:
      return assertNever(event);
  }
}
