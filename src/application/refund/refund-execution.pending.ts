import { fromIso } from '../../domain/shared/time';
import { pendingWorkProjection, type PendingWork } from '../jobs/pending-work';
import { INLINE_GRACE_MS } from '../payment/approval-follow-up.pending';

export const REFUND_EXECUTION = 'refund-execution';

export interface RefundItem extends PendingWork {
  orderId: string;
  refundId: string;
}

/** F3's owed work: refunds recorded whose PG cancel is not settled (not made, or its answer lost). */
export const refundExecutionPending = pendingWorkProjection<RefundItem>(
  REFUND_EXECUTION,
  async (event, pending) => {
    if (!event.streamId.startsWith('payment-')) return;
    const orderId = event.streamId.slice('payment-'.length);
    const refundId = String(event.data.refundId);
    const id = `${orderId}:${refundId}`;
    if (event.type === 'RefundRequested') {
      const at = fromIso(String(event.data.requestedAt));
      await pending.put({ id, orderId, refundId, owed: true, sinceMs: at, dueAtMs: at + INLINE_GRACE_MS });
    } else if (event.type === 'RefundCompleted' || event.type === 'RefundRejected') {
      pending.drop(id);
    }
  },
);
