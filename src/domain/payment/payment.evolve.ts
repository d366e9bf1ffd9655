import { assertNever } from '../shared/decider';
import { fromIso } from '../shared/time';
import type { PaymentEvent } from './payment.events';
import type { ExistingPayment, PaymentState, Refund } from './payment.state';

export const initialPaymentState: PaymentState = { status: 'NONE' };

function updateRefund(state: ExistingPayment, refundId: string, change: Partial<Refund>): ExistingPayment {
  return { ...state, refunds: state.refunds.map((r) => (r.refundId === refundId ? { ...r, ...change } : r)) };
}

export function evolvePayment(state: PaymentState, event: PaymentEvent): PaymentState {
  if (event.type === 'PaymentApproved') {
    return { status: 'APPROVED', ...event.data, approvedAt: fromIso(event.data.approvedAt), refunds: [] };
  }
  if (state.status === 'NONE') return state;
  switch (event.type) {
    case 'RefundRequested': {
      const d = event.data;
      const refund: Refund = {
        refundId: d.refundId,
        amount: d.amount,
        reason: d.reason,
        status: 'PENDING',
        outcomeUnknown: false,
        requestedBy: d.requestedBy,
        requestedAt: fromIso(d.requestedAt),
        completedAt: null,
        idempotencyKey: d.idempotencyKey,
        balanceBefore: d.balanceBefore,
        pgCancelId: null,
      };
      return { ...state, refunds: [...state.refunds, refund] };
    }
    case 'RefundCompleted':
      return updateRefund(state, event.data.refundId, {
        status: 'COMPLETED',
        outcomeUnknown: false,
        pgCancelId: event.data.pgCancelId,
        completedAt: fromIso(event.data.completedAt),
      });
    case 'RefundRejected':
      return updateRefund(state, event.data.refundId, {
        status: 'REJECTED',
        outcomeUnknown: false,
        rejection: { code: event.data.code, message: event.data.message },
      });
    case 'RefundOutcomeUnknown':
      return updateRefund(state, event.data.refundId, { outcomeUnknown: true });
    case 'PgCancelRecorded': {
      const d = event.data;
      const canceledAt = fromIso(d.canceledAt);
      const refund: Refund = {
        refundId: d.refundId,
        amount: d.amount,
        reason: d.reason,
        status: 'COMPLETED',
        outcomeUnknown: false,
        requestedBy: null,
        requestedAt: canceledAt,
        completedAt: canceledAt,
        idempotencyKey: null,
        balanceBefore: 0,
        pgCancelId: d.pgCancelId,
      };
      return { ...state, refunds: [...state.refunds, refund] };
    }
    default:
      return assertNever(event);
  }
}
